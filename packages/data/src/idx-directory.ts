import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether a directory holds an MNIST-layout IDX dataset (`train-images-idx3-ubyte`, gzipped or
 * not) — what `loadIdxImages` reads. Also from the `@selfsup/data/idx-directory` entry, which
 * loads no tfjs: to tell what a folder holds before anything computes.
 *
 * @example
 * isIdxDirectory(embeddedFashionMnistDir()); // true
 */
export function isIdxDirectory(dir: string): boolean {
  return ['train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz'].some((name) => existsSync(join(dir, name)));
}
