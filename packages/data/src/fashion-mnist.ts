import { embeddedFashionMnistDir, readIdxFile } from '#idx-files';

export { embeddedFashionMnistDir };

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

export interface LoadIdxImagesOptions {
  /**
   * A directory with `{split}-images-idx3-ubyte[.gz]` and `{split}-labels-idx1-ubyte[.gz]`: a path
   * (Node) or a URL (`file:` in Node; a folder served over HTTP on both). Default: the embedded subset.
   */
  dir?: string | URL;
  /** `train` or `test` (file prefix `t10k`). */
  split: 'train' | 'test';
}

/**
 * Loads an MNIST-layout IDX image dataset (Fashion-MNIST by default: the embedded subset, or the
 * full set with `dir: DEBIAN_FASHION_MNIST_DIR`). The same call works in a browser: the embedded
 * subset is fetched from beside the module (`new URL('../datasets/…', import.meta.url)`, which
 * Vite and webpack serve and copy) and gunzipped with `DecompressionStream`.
 *
 * @example
 * const train = await loadIdxImages({ split: 'train' }); // 6000 embedded images, Node or a page
 * const full = await loadIdxImages({ split: 'test', dir: DEBIAN_FASHION_MNIST_DIR }); // Node
 * @throws naming the file when one is missing, truncated, or images and labels disagree; in a
 *   browser, for a `dir` path (pass a URL).
 */
export async function loadIdxImages(options: LoadIdxImagesOptions): Promise<LabeledImages> {
  const prefix = options.split === 'train' ? 'train' : 't10k';
  // Both are read at once; when both fail, the images' error is the one reported (whichever
  // settles first would make the message depend on timing).
  const [imagesRead, labelsRead] = await Promise.allSettled([
    readIdxFile(options.dir, `${prefix}-images-idx3-ubyte`),
    readIdxFile(options.dir, `${prefix}-labels-idx1-ubyte`),
  ]);
  if (imagesRead.status === 'rejected') throw imagesRead.reason;
  if (labelsRead.status === 'rejected') throw labelsRead.reason;
  const [imagesFile, labelsFile] = [imagesRead.value, labelsRead.value];
  const [images, labels] = [imagesFile.idx, labelsFile.idx];
  const [imagesPath, labelsPath] = [imagesFile.source, labelsFile.source];
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
