import { gunzip, gunzipSync, readIdxBytes } from '#idx-bytes';

/** A decoded IDX file (the MNIST format): dimensions and raw unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/**
 * Where an IDX file can be read from: a path (Node), a `file:`/`http(s):` URL, a `Blob`/`File` or
 * the bytes. In a browser: everything but a path.
 */
export type IdxSource = string | URL | Blob | ArrayBuffer | Uint8Array;

const isGzip = (bytes: Uint8Array) => bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * Parses the bytes of an uncompressed IDX file. Shared by both platforms: no gunzip, no IO.
 *
 * @throws if the header is malformed, the type is not unsigned bytes, or the data is truncated or
 *   longer than the dimensions say.
 */
export function parseIdx(raw: Uint8Array, source: string): IdxArray {
  if (raw.length < 4 || raw[0] !== 0 || raw[1] !== 0) {
    throw new Error(`${source}: not an IDX file (bad magic number)`);
  }
  if (raw[2] !== 0x08) {
    throw new Error(
      `${source}: IDX data type 0x${(raw[2] as number).toString(16)} is not supported (only unsigned bytes, 0x08)`,
    );
  }
  const rank = raw[3] as number;
  const headerBytes = 4 + 4 * rank;
  if (rank === 0 || raw.length < headerBytes) {
    throw new Error(`${source}: truncated IDX header (${raw.length} bytes, rank ${rank})`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = raw.length - headerBytes;
  if (actual !== expected) {
    throw new Error(
      `${source}: IDX data is ${actual < expected ? 'truncated' : 'longer than its header says'}: ` +
        `header [${dims.join('×')}] needs ${expected} bytes, file has ${actual}`,
    );
  }
  return { dims, data: raw.subarray(headerBytes) };
}

function gzipError(source: string, error: unknown): Error {
  return new Error(`${source}: not a readable IDX file (corrupt or truncated gzip: ${(error as Error).message})`, {
    cause: error,
  });
}

/**
 * Decodes the bytes of an IDX file (LeCun et al., the MNIST/Fashion-MNIST format), gzipped or not.
 * Only unsigned-byte data (type 0x08) is supported, as used by MNIST-style datasets. Synchronous:
 * in a browser, which gunzips only asynchronously, gzipped bytes throw — use {@link readIdx}.
 *
 * @param source names the data in error messages (usually its path).
 * @example const { dims, data } = decodeIdx(bytes, 'train-images-idx3-ubyte'); // dims [60000, 28, 28]
 * @throws if the header is malformed, the type is not unsigned bytes, or the data is truncated
 *   or longer than the dimensions say; in a browser, for gzipped bytes.
 */
export function decodeIdx(bytes: Uint8Array, source: string): IdxArray {
  let raw = bytes;
  if (isGzip(bytes)) {
    try {
      raw = gunzipSync(bytes, source);
    } catch (error) {
      if ((error as Error).message.includes('Node-only')) throw error;
      throw gzipError(source, error);
    }
  }
  return parseIdx(raw, source);
}

/**
 * Reads and decodes an IDX file, gzipped or not: a path (Node), a URL (fetched; `file:` in Node),
 * a `Blob`/`File` or the bytes. Gunzips with zlib in Node, `DecompressionStream('gzip')` in a
 * browser.
 *
 * @example
 * const labels = await readIdx('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz'); // Node
 * const images = await readIdx(input.files[0]); // a browser
 * @throws naming the source when unreadable or malformed; in a browser, for a path.
 */
export async function readIdx(source: IdxSource): Promise<IdxArray> {
  const { name, bytes } = await readIdxBytes(source);
  let raw = bytes;
  if (isGzip(bytes)) {
    try {
      raw = await gunzip(bytes);
    } catch (error) {
      throw gzipError(name, error);
    }
  }
  return parseIdx(raw, name);
}
