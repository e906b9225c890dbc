import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readIdx } from './idx.js';
import { fetchIdxFile, type IdxFile, missingIdxFile } from './idx-url.js';

/**
 * The directory of the Fashion-MNIST subset shipped with this package: the first 600 training and
 * 100 test images of each class (6000 + 1000 images, 3 MB), from Fashion-MNIST (Xiao, Rasul &
 * Vollgraf 2017, MIT license). Node only: in a browser `loadIdxImages({ split })` fetches it.
 *
 * @example const dir = embeddedFashionMnistDir(); // …/node_modules/@selfsup/data/datasets/fashion-mnist-subset
 */
export function embeddedFashionMnistDir(): string {
  // src/ in the workspace, dist/ when installed: the datasets folder sits beside both.
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'datasets', 'fashion-mnist-subset');
}

/**
 * Reads `{stem}.gz` or `{stem}` from an IDX directory: a path, a `file:` URL or an `http(s):` URL
 * (fetched); the embedded subset when `dir` is undefined.
 */
export async function readIdxFile(dir: string | URL | undefined, stem: string): Promise<IdxFile> {
  if (dir instanceof URL && dir.protocol !== 'file:') return fetchIdxFile(dir, stem);
  const folder = dir === undefined ? embeddedFashionMnistDir() : dir instanceof URL ? fileURLToPath(dir) : dir;
  for (const name of [`${stem}.gz`, stem]) {
    const path = join(folder, name);
    if (existsSync(path)) return { source: path, idx: await readIdx(path) };
  }
  throw missingIdxFile(folder, stem);
}

/**
 * Whether a directory holds an MNIST-layout IDX dataset (`train-images-idx3-ubyte`, gzipped or
 * not) — what `loadIdxImages` reads. Also from the `@selfsup/data/idx-directory` entry, which
 * loads no tfjs: to tell what a folder holds before anything computes. Node only (a browser has
 * no folders to look into: it throws naming `loadIdxImages({ dir: url })`).
 *
 * @example
 * isIdxDirectory(embeddedFashionMnistDir()); // true
 */
export function isIdxDirectory(dir: string): boolean {
  return ['train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz'].some((name) => existsSync(join(dir, name)));
}
