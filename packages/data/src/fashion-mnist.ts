import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readIdx } from './idx.js';

/** Images with integer labels: grayscale as loaded from IDX files, or RGB with `channels: 3`. */
export interface LabeledImages {
  /** Pixels, row-major [count, height, width, channels], 0–255. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  /** Channels per pixel: 1 (default, as IDX files) or 3 (RGB, e.g. a labeled image folder). */
  channels?: number;
}

/** The 10 Fashion-MNIST classes, by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Where Debian's `dataset-fashion-mnist` package puts the full dataset. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * The directory of the Fashion-MNIST subset shipped with this package: the first 600 training and
 * 100 test images of each class (6000 + 1000 images, 3 MB), from Fashion-MNIST (Xiao, Rasul &
 * Vollgraf 2017, MIT license).
 */
export function embeddedFashionMnistDir(): string {
  // src/ in the workspace, dist/ when installed: the datasets folder sits beside both.
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'datasets', 'fashion-mnist-subset');
}

export interface LoadIdxImagesOptions {
  /** A directory with `{split}-images-idx3-ubyte[.gz]` and `{split}-labels-idx1-ubyte[.gz]`; default: the embedded subset. */
  dir?: string;
  /** `train` or `test` (file prefix `t10k`). */
  split: 'train' | 'test';
}

function findFile(dir: string, stem: string): string {
  for (const name of [`${stem}.gz`, stem]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`${dir}: no ${stem}[.gz] — expected an IDX dataset directory (MNIST/Fashion-MNIST layout)`);
}

/**
 * Loads an MNIST-layout IDX image dataset (Fashion-MNIST by default: the embedded subset, or the
 * full set with `dir: DEBIAN_FASHION_MNIST_DIR`).
 *
 * @example
 * const train = await loadIdxImages({ split: 'train' }); // 6000 embedded images
 * @throws naming the file when one is missing, truncated, or images and labels disagree.
 */
export async function loadIdxImages(options: LoadIdxImagesOptions): Promise<LabeledImages> {
  const dir = options.dir ?? embeddedFashionMnistDir();
  const prefix = options.split === 'train' ? 'train' : 't10k';
  const imagesPath = findFile(dir, `${prefix}-images-idx3-ubyte`);
  const labelsPath = findFile(dir, `${prefix}-labels-idx1-ubyte`);
  const [images, labels] = await Promise.all([readIdx(imagesPath), readIdx(labelsPath)]);
  if (images.dims.length !== 3) {
    throw new Error(
      `${imagesPath}: expected [count, height, width] images, got dimensions [${images.dims.join(', ')}]`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new Error(`${labelsPath}: expected [count] labels, got dimensions [${labels.dims.join(', ')}]`);
  }
  const [count, height, width] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) {
    throw new Error(`${labelsPath}: ${labels.dims[0]} labels do not match the ${count} images of ${imagesPath}`);
  }
  return { images: images.data, labels: labels.data, count, height, width };
}
