import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip as zlibGunzip, gunzipSync as zlibGunzipSync } from 'node:zlib';
import type { IdxSource } from './idx.js';
import { bytesWithoutFileSystem } from './source-bytes.js';

const gunzipAsync = promisify(zlibGunzip);

/** A source's name (for errors) and bytes: paths and `file:` URLs read from disk, the rest as given or fetched. */
export async function readIdxBytes(source: IdxSource): Promise<{ name: string; bytes: Uint8Array }> {
  const path =
    typeof source === 'string'
      ? source
      : source instanceof URL && source.protocol === 'file:'
        ? fileURLToPath(source)
        : undefined;
  if (path === undefined) return bytesWithoutFileSystem(source as Exclude<IdxSource, string>);
  try {
    return { name: path, bytes: await readFile(path) };
  } catch (error) {
    throw new Error(
      `${path}: cannot read IDX file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { cause: error },
    );
  }
}

/** Gunzips (zlib). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return gunzipAsync(bytes);
}

/** Gunzips synchronously (zlib). */
export function gunzipSync(bytes: Uint8Array, _source: string): Uint8Array {
  return zlibGunzipSync(bytes);
}
