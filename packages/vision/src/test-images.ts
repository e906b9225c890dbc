import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listImageFiles, readImages } from '@selfsup/augment';
import { createRng, type Tensor4D, tf } from '@selfsup/backend';
import { imageBatch, loadIdxImages } from '@selfsup/data';

/** `count` real Fashion-MNIST images [count, 28, 28, 1] from the embedded subset, spread over the classes. */
export async function fashionMnistImages(count: number, offset = 0): Promise<Tensor4D> {
  const train = await loadIdxImages({ split: 'train' });
  const stride = Math.floor(train.count / count);
  const { images, labels } = imageBatch(
    train,
    Array.from({ length: count }, (_, i) => (offset + i * stride) % train.count),
  );
  labels.dispose();
  return images;
}

/** The committed photo crops (test-data/photos, 64×64 RGB), decoded with sharp: [8, 64, 64, 3]. */
export async function photoCrops(): Promise<Tensor4D> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-data', 'photos');
  const files: string[] = [];
  for await (const file of listImageFiles(dir)) files.push(file);
  return readImages(files.sort(), { size: [64, 64], channels: 3 });
}

/** `perPhoto` random 32×32 crops of each photo, seeded: [8·perPhoto, 32, 32, 3]. */
export function photoPatches(photos: Tensor4D, perPhoto: number, seed: number): Tensor4D {
  const [count, height, width] = photos.shape;
  const boxes: number[][] = [];
  const indices: number[] = [];
  const rng = createRng(seed);
  for (let image = 0; image < count; image++) {
    for (let k = 0; k < perPhoto; k++) {
      const top = rng.int(height - 32 + 1);
      const left = rng.int(width - 32 + 1);
      boxes.push([top / (height - 1), left / (width - 1), (top + 31) / (height - 1), (left + 31) / (width - 1)]);
      indices.push(image);
    }
  }
  return tf.tidy(() => tf.image.cropAndResize(photos, tf.tensor2d(boxes), tf.tensor1d(indices, 'int32'), [32, 32]));
}
