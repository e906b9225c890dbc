import type { IdxSource } from './idx.js';
import { bytesWithoutFileSystem } from './source-bytes.js';

/** A source's name (for errors) and bytes: a URL fetched, a `Blob`/`File` or bytes; a path throws. */
export async function readIdxBytes(source: IdxSource): Promise<{ name: string; bytes: Uint8Array }> {
  if (typeof source === 'string') {
    throw new Error(
      `readIdx('${source}'): reading a path is Node-only; in a browser pass a URL to fetch (new URL(path, location.href)), a File (from <input type="file">), a Blob or the bytes`,
    );
  }
  return bytesWithoutFileSystem(source);
}

/** Gunzips with the browser's `DecompressionStream('gzip')`. */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A browser gunzips only asynchronously: the error names the asynchronous alternative. */
export function gunzipSync(_bytes: Uint8Array, source: string): Uint8Array {
  throw new Error(
    `decodeIdx: ${source} is gzipped, and gunzipping synchronously is Node-only; in a browser use await readIdx(bytes), which gunzips with DecompressionStream`,
  );
}
