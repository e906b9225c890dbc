import { readFileChunks } from '#corpus-files';

export interface ReadLinesOptions {
  /** Don't throw when the file has no non-blank line (default false: an empty corpus is an error). */
  allowEmpty?: boolean;
}

const NEWLINE = 0x0a;

/**
 * Streams the lines of a UTF-8 text file (without `\n`/`\r\n` and without a leading byte-order
 * mark), reading it in chunks so a corpus of any size never sits in memory at once. `source` is a
 * file path in Node and a URL (fetched) in a browser; a `Blob`/`File` works on both.
 *
 * @example
 * for await (const line of readLines('corpus.txt')) console.log(line);
 * // in a browser: for await (const line of readLines(input.files[0])) …
 * @throws naming the file when it cannot be read, when a line is not valid UTF-8 (with its line
 *   number and byte offset), or when it has no non-blank line (unless `allowEmpty`).
 */
export async function* readLines(source: string | Blob, options: ReadLinesOptions = {}): AsyncGenerator<string> {
  const path = sourceName(source);
  // ignoreBOM keeps U+FEFF inside the file; only the file's first bytes may be a byte-order mark.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let carry: Uint8Array = new Uint8Array(0);
  let carryOffset = 0;
  let lineNumber = 0;
  let nonBlank = 0;
  const decodeLines = function* (bytes: Uint8Array, offset: number): Generator<string> {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new Error(invalidUtf8Message(path, bytes, offset, lineNumber));
    }
    if (offset === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const lines = text.split('\n');
    for (const raw of lines) {
      lineNumber++;
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() !== '') nonBlank++;
      yield line;
    }
  };
  const chunks = typeof source === 'string' ? readFileChunks(source) : blobChunks(source);
  for await (const chunk of chunks) {
    const bytes: Uint8Array = carry.length === 0 ? chunk : concat(carry, chunk);
    const bytesOffset = carryOffset;
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    if (lastNewline < 0) {
      carry = bytes;
      continue;
    }
    carry = bytes.subarray(lastNewline + 1);
    carryOffset = bytesOffset + lastNewline + 1;
    yield* decodeLines(bytes.subarray(0, lastNewline), bytesOffset);
  }
  if (carry.length > 0) yield* decodeLines(carry, carryOffset);
  if (nonBlank === 0 && options.allowEmpty !== true) {
    throw new Error(`${path}: the corpus is empty (no non-blank line)`);
  }
}

/** The name errors give a source: its path or URL, a File's name, or `blob`. */
export function sourceName(source: string | Blob): string {
  if (typeof source === 'string') return source;
  const file = source as Partial<File>;
  return file.webkitRelativePath || file.name || 'blob';
}

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Finds the first line of `bytes` that is not valid UTF-8 and names it with its byte offset. */
function invalidUtf8Message(path: string, bytes: Uint8Array, offset: number, linesBefore: number): string {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let line = linesBefore;
  while (start <= bytes.length) {
    line++;
    const end = bytes.indexOf(NEWLINE, start);
    const stop = end < 0 ? bytes.length : end;
    try {
      strict.decode(bytes.subarray(start, stop));
    } catch {
      const bad = firstInvalidByte(bytes.subarray(start, stop));
      return (
        `${path}: not valid UTF-8 at line ${line} (byte offset ${offset + start + bad}); ` +
        'the corpus must be UTF-8 text — convert it first, e.g. iconv -f latin1 -t utf-8'
      );
    }
    start = stop + 1;
  }
  return `${path}: not valid UTF-8`;
}

/** The index of the first byte of `bytes` that starts an invalid UTF-8 sequence (RFC 3629). */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const trailing =
      lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (trailing === 0 || i + trailing >= bytes.length) return i;
    for (let k = 1; k <= trailing; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    const second = bytes[i + 1] as number;
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f)) return i;
    if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return i;
    i += trailing + 1;
  }
  return bytes.length;
}
