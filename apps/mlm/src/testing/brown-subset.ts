import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBrownDirectory } from '../brown-corpus.js';

/**
 * Writes a Brown corpus directory with the first `perGenre` documents of every genre (the real
 * files and their `cats.txt` lines) into `dir`, for tests that run the whole pipeline several
 * times: tokenizing 60 documents instead of 500 keeps a run to a few seconds.
 */
export function writeBrownSubset(dir: string, perGenre: number): string {
  const source = defaultBrownDirectory();
  const taken = new Map<string, number>();
  const lines: string[] = [];
  mkdirSync(dir, { recursive: true });
  for (const line of readFileSync(join(source, 'cats.txt'), 'utf8').split('\n')) {
    const [file, genre] = line.trim().split(/\s+/);
    if (!file || !genre || (taken.get(genre) ?? 0) >= perGenre) continue;
    taken.set(genre, (taken.get(genre) ?? 0) + 1);
    lines.push(`${file} ${genre}`);
    copyFileSync(join(source, file), join(dir, file));
  }
  writeFileSync(join(dir, 'cats.txt'), `${lines.join('\n')}\n`);
  return dir;
}
