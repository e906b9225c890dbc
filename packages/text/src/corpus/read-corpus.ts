import { corpusFiles } from '#corpus-files';
import { readJsonl } from './read-jsonl.js';
import { readLines, sourceName } from './read-lines.js';

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
  /**
   * A file that is not valid UTF-8 or cannot be read: `throw` (default, strict) stops with its
   * error (file, line, byte offset); `skip` leaves the whole file out, tells `onSkip`, and reads on —
   * as the image folder readers do. Skipping checks each file before reading its documents, so a
   * file is read twice (it is never half used).
   */
  onError?: 'throw' | 'skip';
  /** Told of each file left out with `onError: 'skip'` (default: `console.warn('skipped <path>: <reason>')`). */
  onSkip?: (file: SkippedCorpusFile) => void;
}

/** A corpus file left out with `onError: 'skip'`, and why (`not valid UTF-8 at line 3 (byte offset 17); …`). */
export interface SkippedCorpusFile {
  path: string;
  reason: string;
}

/** The file endings a corpus folder is searched for (compared case-insensitively): text and JSON Lines. */
export const CORPUS_EXTENSIONS: readonly string[] = ['.txt', '.text', '.md', '.jsonl'];

/**
 * Where a corpus is: a path (Node: a file or a folder; browser: a file's URL), a `Blob`/`File`, or
 * several `File`s (a browser's folder picker, `<input type="file" webkitdirectory>`).
 */
export type CorpusSource = string | Blob | readonly Blob[];

/**
 * Streams the documents of a corpus: a text file, a JSON Lines file (`.jsonl`, one record per
 * document), or a folder of them (searched recursively, in sorted order). Only one document is in
 * memory at a time. In a browser, pass the `File`s of a folder (filtered by `extensions` and sorted
 * by their relative path) or a file's URL.
 *
 * @example
 * for await (const document of readCorpus('data/wiki')) console.log(document.source, document.lines.length);
 * // in a browser: readCorpus([...input.files]) with <input type="file" webkitdirectory>
 * With `onError: 'skip'`, a file that is not UTF-8 (or cannot be read) is left out and reported
 * to `onSkip` instead of failing the corpus.
 *
 * @example
 * const skipped: SkippedCorpusFile[] = [];
 * for await (const document of readCorpus('data/wiki', { onError: 'skip', onSkip: (file) => skipped.push(file) })) …
 * @throws naming the path when it does not exist, a file is not UTF-8 (unless `onError: 'skip'`)
 *   or not valid JSON Lines, or the whole corpus has no text.
 */
export async function* readCorpus(source: CorpusSource, options: ReadCorpusOptions = {}): AsyncGenerator<TextDocument> {
  const extensions = options.extensions ?? CORPUS_EXTENSIONS;
  const path = typeof source === 'string' || !Array.isArray(source) ? sourceName(source as string | Blob) : 'files';
  const files: Array<string | Blob> =
    typeof source === 'string'
      ? await corpusFiles(source, extensions)
      : Array.isArray(source)
        ? chosenFiles(source as readonly Blob[], extensions)
        : [source as Blob];
  if (files.length === 0) {
    throw new Error(`${path}: the corpus folder has no file ending in ${extensions.join(', ')}`);
  }
  const onError = options.onError ?? 'throw';
  if (onError !== 'throw' && onError !== 'skip') {
    throw new Error(`readCorpus: onError must be 'throw' or 'skip'; got ${String(onError)}`);
  }
  const onSkip = options.onSkip ?? ((file: SkippedCorpusFile) => console.warn(`skipped ${file.path}: ${file.reason}`));
  let documents = 0;
  let skipped = 0;
  for (const file of files) {
    if (onError === 'skip') {
      const reason = await unreadableReason(file);
      if (reason !== undefined) {
        skipped++;
        onSkip({ path: sourceName(file), reason });
        continue;
      }
    }
    for await (const document of readFileDocuments(file, options)) {
      documents++;
      yield document;
    }
  }
  if (documents === 0) {
    const left = skipped === 0 ? '' : `, ${skipped} skipped as unreadable`;
    throw new Error(`${path}: the corpus is empty (no non-blank text in ${files.length} file(s)${left})`);
  }
}

/** Why a file cannot be read as UTF-8 text (its first bad line and byte offset), or undefined when it can. */
async function unreadableReason(file: string | Blob): Promise<string | undefined> {
  const name = sourceName(file);
  try {
    for await (const _line of readLines(file, { allowEmpty: true })) {
      // only decoding: the lines are read again when the file's documents are
    }
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    return message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message;
  }
}

/** Every line of every document of a corpus, blank lines dropped (e.g. to train a tokenizer). */
export async function* readCorpusLines(source: CorpusSource, options: ReadCorpusOptions = {}): AsyncGenerator<string> {
  for await (const document of readCorpus(source, options)) yield* document.lines;
}

/** The files whose names end in one of `extensions`, sorted by relative path (as a folder is read). */
function chosenFiles(files: readonly Blob[], extensions: readonly string[]): Blob[] {
  const endings = extensions.map((ending) => ending.toLowerCase());
  return files
    .filter((file) => endings.some((ending) => sourceName(file).toLowerCase().endsWith(ending)))
    .sort((a, b) => (sourceName(a) < sourceName(b) ? -1 : sourceName(a) > sourceName(b) ? 1 : 0));
}

async function* readFileDocuments(file: string | Blob, options: ReadCorpusOptions): AsyncGenerator<TextDocument> {
  const name = sourceName(file);
  if (name.toLowerCase().endsWith('.jsonl')) {
    let record = 0;
    for await (const text of readJsonl(file, {
      allowEmpty: true,
      ...(options.field ? { field: options.field } : {}),
    })) {
      record++;
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      if (lines.length > 0) yield { source: `${name}:${record}`, lines };
    }
    return;
  }
  let lines: string[] = [];
  for await (const line of readLines(file, { allowEmpty: true })) {
    if (line.trim() !== '') {
      lines.push(line);
    } else if (options.documents !== 'file' && lines.length > 0) {
      yield { source: name, lines };
      lines = [];
    }
  }
  if (lines.length > 0) yield { source: name, lines };
}
