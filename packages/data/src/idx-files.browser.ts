import { readIdx } from './idx.js';
import { fetchIdxFile, type IdxFile, rename } from './idx-url.js';

/**
 * The embedded Fashion-MNIST subset's files, each a literal `new URL(…, import.meta.url)`: the
 * pattern Vite, webpack and Parcel rewrite to the asset's address (and copy into the build).
 */
const EMBEDDED: Record<string, URL> = {
  'train-images-idx3-ubyte': new URL('../datasets/fashion-mnist-subset/train-images-idx3-ubyte.gz', import.meta.url),
  'train-labels-idx1-ubyte': new URL('../datasets/fashion-mnist-subset/train-labels-idx1-ubyte.gz', import.meta.url),
  't10k-images-idx3-ubyte': new URL('../datasets/fashion-mnist-subset/t10k-images-idx3-ubyte.gz', import.meta.url),
  't10k-labels-idx1-ubyte': new URL('../datasets/fashion-mnist-subset/t10k-labels-idx1-ubyte.gz', import.meta.url),
};

/** A folder on disk has no browser meaning: the error names the browser alternative. */
export function embeddedFashionMnistDir(): string {
  throw new Error(
    'embeddedFashionMnistDir() is a folder on disk, which is Node-only; in a browser call loadIdxImages({ split }) without dir: it fetches the embedded subset',
  );
}

/** Fetches `{stem}.gz` or `{stem}` from a folder URL, or the embedded subset's file; a path throws. */
export async function readIdxFile(dir: string | URL | undefined, stem: string): Promise<IdxFile> {
  if (dir === undefined) {
    const url = EMBEDDED[stem];
    if (url === undefined) throw new Error(`loadIdxImages: the embedded subset has no ${stem}`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url.href}: cannot read the embedded IDX file (HTTP ${response.status})`);
    // A server may send the .gz with Content-Encoding: gzip (the browser then gunzips it): readIdx
    // gunzips only what still starts with the gzip magic.
    return {
      source: url.href,
      idx: await readIdx(new Uint8Array(await response.arrayBuffer())).catch(rename(url.href)),
    };
  }
  if (typeof dir === 'string') {
    throw new Error(
      `loadIdxImages: dir '${dir}' is a folder path, which is Node-only; in a browser leave dir out for the embedded Fashion-MNIST subset, or pass the URL of a folder served over HTTP (new URL('fashion-mnist/', location.href))`,
    );
  }
  return fetchIdxFile(dir, stem);
}

/** Looking into a folder has no browser meaning: the error names the browser alternative. */
export function isIdxDirectory(dir: string): boolean {
  throw new Error(
    `isIdxDirectory('${dir}') needs a file system, which is Node-only; in a browser call loadIdxImages({ dir: new URL(…), split }), which says which file a folder URL lacks`,
  );
}
