import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { readJsonl } from './read-jsonl.js';
import { readLines } from './read-lines.js';

/** A document of a corpus: its lines in order (sentences or paragraphs), never blank. */
export interface TextDocument {
  /** The file it came from (with `:line` for JSON Lines records). */
  source: string;
  lines: string[];
}

export interface ReadCorpusOptions {
  /** JSON Lines: the field with the text (default `text`). */
  field?: string;
  /** File name endings a folder is searched for, compared case-insensitively (default {@link CORPUS_EXTENSIONS}). */
  extensions?: readonly string[];
  /**
   * Text files: `blank-line` (default) starts a new document at every blank line (BERT's
   * pretraining format: one sentence per line, a blank line between documents); `file`: a whole file
   * is one document.
   */
  documents?: 'blank-line' | 'file';
}

/** The file endings a corpus folder is searched for (compared case-insensitively): text and JSON Lines. */
export const CORPUS_EXTENSIONS: readonly string[] = ['.txt', '.text', '.md', '.jsonl'];

/**
 * Streams the documents of a corpus: a text file, a JSON Lines file (`.jsonl`, one record per
 * document), or a folder of them (searched recursively, in sorted order). Only one document is in
 * memory at a time.
 *
 * @example
 * for await (const document of readCorpus('data/wiki')) console.log(document.source, document.lines.length);
 * @throws naming the path when it does not exist, a file is not UTF-8 or not valid JSON Lines,
 *   or the whole corpus has no text.
 */
export async function* readCorpus(path: string, options: ReadCorpusOptions = {}): AsyncGenerator<TextDocument> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new Error(`${path}: no such corpus file or folder (${(error as NodeJS.ErrnoException).code})`);
  }
  const extensions = options.extensions ?? CORPUS_EXTENSIONS;
  const files = info.isDirectory() ? await listFiles(path, extensions) : [path];
  if (files.length === 0) {
    throw new Error(`${path}: the corpus folder has no file ending in ${extensions.join(', ')}`);
  }
  let documents = 0;
  for (const file of files) {
    for await (const document of readFileDocuments(file, options)) {
      documents++;
      yield document;
    }
  }
  if (documents === 0) throw new Error(`${path}: the corpus is empty (no non-blank text in ${files.length} file(s))`);
}

/** Every line of every document of a corpus, blank lines dropped (e.g. to train a tokenizer). */
export async function* readCorpusLines(path: string, options: ReadCorpusOptions = {}): AsyncGenerator<string> {
  for await (const document of readCorpus(path, options)) yield* document.lines;
}

async function* readFileDocuments(file: string, options: ReadCorpusOptions): AsyncGenerator<TextDocument> {
  if (extname(file).toLowerCase() === '.jsonl') {
    let record = 0;
    for await (const text of readJsonl(file, {
      allowEmpty: true,
      ...(options.field ? { field: options.field } : {}),
    })) {
      record++;
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      if (lines.length > 0) yield { source: `${file}:${record}`, lines };
    }
    return;
  }
  let lines: string[] = [];
  for await (const line of readLines(file, { allowEmpty: true })) {
    if (line.trim() !== '') {
      lines.push(line);
    } else if (options.documents !== 'file' && lines.length > 0) {
      yield { source: file, lines };
      lines = [];
    }
  }
  if (lines.length > 0) yield { source: file, lines };
}

async function listFiles(dir: string, extensions: readonly string[]): Promise<string[]> {
  const endings = extensions.map((ending) => ending.toLowerCase());
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path, endings)));
    else if (entry.isFile() && endings.some((ending) => entry.name.toLowerCase().endsWith(ending))) files.push(path);
  }
  return files;
}
