import { type Tensor2D, tf } from '@selfsup/backend';
import { imageBatch, type LabeledImages } from '@selfsup/data';
import type { Encoder } from '@selfsup/models';

/**
 * Features of every image, computed in evaluation mode (running batch-norm statistics) in batches
 * of `batchSize` (default 500): `set`'s images `[count, H, W, C]` (uint8, read as float32 in [0, 1])
 * → features `[count, encoder.featureSize]` float32, row i for image i. The caller disposes them.
 *
 * @example
 * const features = extractFeatures(encoder, test); // [test.count, encoder.featureSize]
 */
export function extractFeatures(encoder: Encoder, set: LabeledImages, options: { batchSize?: number } = {}): Tensor2D {
  const batchSize = options.batchSize ?? 500;
  const parts: Tensor2D[] = [];
  for (let start = 0; start < set.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i);
    parts.push(
      tf.tidy(() => {
        const { images, labels } = imageBatch(set, indices);
        labels.dispose();
        return encoder.apply(images, { training: false });
      }),
    );
  }
  const features = tf.concat(parts) as Tensor2D;
  tf.dispose(parts);
  return features;
}

/**
 * The raw-pixel floor: every image of `set` flattened to `[count, H·W·C]` float32 in [0, 1]
 * (C = `set.channels`, 1 by default), row i for image i. The caller disposes it.
 *
 * @example
 * const pixels = rawPixelFeatures(test); // Fashion-MNIST: [10000, 784]
 */
export function rawPixelFeatures(set: LabeledImages): Tensor2D {
  const size = set.height * set.width * (set.channels ?? 1);
  return tf.tidy(() => tf.div(tf.tensor2d(set.images, [set.count, size], 'float32'), 255) as Tensor2D);
}
