import { readLines, sourceName } from './read-lines.js';

export interface ReadJsonlOptions {
  /** The field that holds the text (default `text`); a dotted path reaches nested fields (`meta.body`). */
  field?: string;
  /** Don't throw when the file has no record (default false). */
  allowEmpty?: boolean;
}

/**
 * Streams the texts of a JSON Lines file: one JSON object per line, its text in `field`. Blank
 * lines are skipped. `source` is a path in Node, a URL in a browser, or a `Blob`/`File`.
 *
 * @example
 * for await (const text of readJsonl('wiki.jsonl', { field: 'text' })) …
 * @throws naming the file and line for a line that is not JSON, not an object, or has no string
 *   in `field`; for invalid UTF-8; and for a file without records (unless `allowEmpty`).
 */
export async function* readJsonl(source: string | Blob, options: ReadJsonlOptions = {}): AsyncGenerator<string> {
  const path = sourceName(source);
  const field = options.field ?? 'text';
  const keys = field.split('.');
  let lineNumber = 0;
  let records = 0;
  for await (const line of readLines(source, { allowEmpty: true })) {
    lineNumber++;
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new Error(`${path}:${lineNumber}: not valid JSON (${(error as Error).message})`);
    }
    let value: unknown = record;
    for (const key of keys) {
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (typeof value !== 'string') {
      throw new Error(
        `${path}:${lineNumber}: the record has no string field '${field}' (${value === undefined ? 'missing' : `it is ${value === null ? 'null' : typeof value}`})`,
      );
    }
    records++;
    yield value;
  }
  if (records === 0 && options.allowEmpty !== true) throw new Error(`${path}: the corpus is empty (no JSON record)`);
}
