// Test fixtures: folders of real PNG files made from the embedded Fashion-MNIST subset, with the
// corrupt files of @selfsup/augment's test-data mixed in when asked. Not part of the package.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePng } from '@selfsup/augment';
import { initBackend, tf } from '@selfsup/backend';
import { FASHION_MNIST_CLASSES, loadIdxImages } from '@selfsup/data';

/** The unreadable files of augment's test-data (empty, not an image, truncated, BMP, SVG). */
export const BAD_IMAGE_FILES = (() => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'augment', 'test-data');
  return [
    ...readdirSync(join(root, 'bad')).map((name) => join(root, 'bad', name)),
    join(root, 'corrupt', 'truncated.png'),
  ];
})();

/**
 * Writes `perClass` Fashion-MNIST images of each of the first `classes` classes as PNGs: flat in
 * `dir`, or one sub-folder per class name with `labeled`. RGB images get a class-dependent tint.
 * With `corrupt`, the unreadable test files are copied in as well (they must be skipped).
 */
export async function makeImageFolder(
  dir: string,
  options: {
    perClass: number;
    classes?: number;
    channels?: 1 | 3;
    labeled?: boolean;
    corrupt?: boolean;
    offset?: number;
  },
): Promise<string[]> {
  await initBackend({ backend: 'cpu', log: false });
  const set = await loadIdxImages({ split: 'train' });
  const classes = options.classes ?? 4;
  const counts = new Array<number>(classes).fill(0);
  const written: string[] = [];
  let skip = options.offset ?? 0;
  for (let index = 0; index < set.count && counts.some((c) => c < options.perClass); index++) {
    const label = set.labels[index] as number;
    if (label >= classes || (counts[label] as number) >= options.perClass) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    const name = (FASHION_MNIST_CLASSES[label] as string).replace(/[^a-z]/gi, '').toLowerCase();
    const path = options.labeled
      ? join(dir, name, `${String(index).padStart(5, '0')}.png`)
      : join(dir, `${name}-${String(index).padStart(5, '0')}.png`);
    const pixels = set.images.subarray(index * 784, (index + 1) * 784);
    const image = tf.tidy(() => {
      const gray = tf.div(tf.tensor3d(pixels, [28, 28, 1], 'float32'), 255);
      if (options.channels !== 3) return gray;
      const tint = tf.tensor1d([1 - 0.15 * (label % 3), 0.85 + 0.05 * (label % 4), 0.7 + 0.1 * (label % 3)]);
      return tf.mul(tf.tile(gray, [1, 1, 3]), tint);
    });
    await writePng(image, path);
    image.dispose();
    counts[label] = (counts[label] as number) + 1;
    written.push(path);
  }
  if (options.corrupt) {
    mkdirSync(join(dir, 'broken'), { recursive: true });
    for (const file of BAD_IMAGE_FILES) copyFileSync(file, join(dir, 'broken', file.split('/').pop() as string));
  }
  return written;
}
