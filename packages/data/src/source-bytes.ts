import type { IdxSource } from './idx.js';

/** The bytes of a source that needs no file system. */
export async function bytesWithoutFileSystem(
  source: Exclude<IdxSource, string>,
): Promise<{ name: string; bytes: Uint8Array }> {
  if (source instanceof Uint8Array) return { name: '<bytes>', bytes: source };
  if (source instanceof ArrayBuffer) return { name: '<bytes>', bytes: new Uint8Array(source) };
  if (source instanceof URL) {
    const response = await fetch(source).catch((error: Error) => {
      throw new Error(`${source.href}: cannot read IDX file (fetch failed: ${error.message})`, { cause: error });
    });
    if (!response.ok) throw new Error(`${source.href}: cannot read IDX file (HTTP ${response.status})`);
    return { name: source.href, bytes: new Uint8Array(await response.arrayBuffer()) };
  }
  const name = (source as Partial<File>).name || '<blob>';
  return { name, bytes: new Uint8Array(await source.arrayBuffer()) };
}
