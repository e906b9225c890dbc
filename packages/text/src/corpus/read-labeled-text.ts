import { listFolder, pathKind } from '#corpus-files';
import { readCorpus } from './read-corpus.js';
import { readLines, sourceName } from './read-lines.js';

/** Labeled documents for an evaluation of a text encoder, with the class names by label. */
export interface LabeledTexts {
  /** Each example: the non-blank lines (sentences) of one document. */
  documents: string[][];
  /** The class of each document, an index into `classes`. */
  labels: number[];
  classes: string[];
}

/** How {@link readLabeledText} reads. */
export interface ReadLabeledTextOptions {
  /** Class folders' text files: a blank line starts a new document (`blank-line`), or each file is one (`file`). */
  documents?: 'blank-line' | 'file';
  /** JSON Lines: the field holding the text (default `text`). */
  textField?: string;
  /** JSON Lines: the field holding the class (default `label`). */
  labelField?: string;
}

const FORMATS =
  'labeled text (what a text encoder is probed on): a folder with one sub-folder of .txt/.md/.jsonl files per class, or a .jsonl file of records with a text and a label field';

async function fromClassFolders(path: string, options: ReadLabeledTextOptions): Promise<LabeledTexts> {
  const listed = await listFolder(path, 'readLabeledText');
  const folders = listed
    .filter((entry) => entry.directory && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const entries = new Map(listed.map((entry) => [entry.name, entry.path]));
  if (folders.length < 2) {
    throw new Error(
      `${path}: ${folders.length === 0 ? 'no class sub-folders' : `one class sub-folder (${folders[0]})`}; expected ${FORMATS}, with at least 2 classes`,
    );
  }
  const documents: string[][] = [];
  const labels: number[] = [];
  for (const [label, name] of folders.entries()) {
    try {
      for await (const document of readCorpus(entries.get(name) as string, {
        documents: options.documents ?? 'blank-line',
        field: options.textField ?? 'text',
      })) {
        documents.push(document.lines);
        labels.push(label);
      }
    } catch (error) {
      throw new Error(`${path}: class '${name}': ${(error as Error).message}`);
    }
  }
  return { documents, labels, classes: folders };
}

async function fromJsonLines(source: string | Blob, options: ReadLabeledTextOptions): Promise<LabeledTexts> {
  const path = sourceName(source);
  const textField = options.textField ?? 'text';
  const labelField = options.labelField ?? 'label';
  const records: Array<{ lines: string[]; label: string }> = [];
  let lineNumber = 0;
  try {
    for await (const line of readLines(source, { allowEmpty: true })) {
      lineNumber++;
      if (line.trim() === '') continue;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`line ${lineNumber}: not valid JSON (${(error as Error).message})`);
      }
      const text = record?.[textField];
      const label = record?.[labelField];
      if (typeof text !== 'string') throw new Error(`line ${lineNumber}: no string field '${textField}'`);
      if (typeof label !== 'string' && typeof label !== 'number') {
        throw new Error(`line ${lineNumber}: no string or number field '${labelField}' (the class)`);
      }
      const lines = text.split('\n').filter((part) => part.trim() !== '');
      if (lines.length > 0) records.push({ lines, label: String(label) });
    }
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  const classes = [...new Set(records.map((r) => r.label))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (classes.length < 2) {
    throw new Error(`${path}: ${records.length} records in ${classes.length} class(es); need at least 2`);
  }
  const index = new Map(classes.map((name, label) => [name, label]));
  return {
    documents: records.map((r) => r.lines),
    labels: records.map((r) => index.get(r.label) as number),
    classes,
  };
}

/**
 * Reads labeled text, e.g. for probing a text encoder: a folder with one sub-folder per class
 * (every document of its text files is an example of that class, the sorted folder names are the
 * classes; see {@link readCorpus}), or a JSON Lines file of records `{ "text": …, "label": … }`
 * (classes sorted by name, numbers in numeric order; records with no text left out). In a browser,
 * where there are no folders, `source` is a `.jsonl` URL or a `Blob`/`File` of JSON Lines.
 *
 * @example
 * const { documents, labels, classes } = await readLabeledText('reviews/'); // reviews/positive/*.txt, reviews/negative/*.txt
 * // in a browser: await readLabeledText(input.files[0]) // a .jsonl file
 * @throws naming the path (and class or line) when it is missing, in another layout, has fewer
 *   than 2 classes, or holds unreadable text.
 */
export async function readLabeledText(
  source: string | Blob,
  options: ReadLabeledTextOptions = {},
): Promise<LabeledTexts> {
  if (typeof source !== 'string') return fromJsonLines(source, options);
  const path = source;
  const what = await pathKind(path);
  if (what.kind === 'missing') {
    throw new Error(`${path}: ${what.code === 'ENOENT' ? 'does not exist' : `cannot be read (${what.code})`}`);
  }
  if (what.kind === 'directory') return fromClassFolders(path, options);
  if (path.toLowerCase().endsWith('.jsonl')) return fromJsonLines(path, options);
  throw new Error(`${path}: not a folder or a .jsonl file; expected ${FORMATS}`);
}
