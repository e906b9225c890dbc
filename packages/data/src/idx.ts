import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/** A decoded IDX file (the MNIST format): dimensions and raw unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Decodes the bytes of an IDX file (LeCun et al., the MNIST/Fashion-MNIST format), gzipped or not.
 * Only unsigned-byte data (type 0x08) is supported, as used by MNIST-style datasets.
 *
 * @param source names the data in error messages (usually its path).
 * @throws if the header is malformed, the type is not unsigned bytes, or the data is truncated
 *   or longer than the dimensions say.
 */
export function decodeIdx(bytes: Uint8Array, source: string): IdxArray {
  let raw = bytes;
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    try {
      raw = gunzipSync(bytes);
    } catch (error) {
      throw new Error(`${source}: not a readable IDX file (corrupt or truncated gzip: ${(error as Error).message})`);
    }
  }
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

/** Reads and decodes an IDX file from disk. @throws naming the path when unreadable or malformed. */
export async function readIdx(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(
      `${path}: cannot read IDX file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return decodeIdx(bytes, path);
}
