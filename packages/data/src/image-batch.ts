import { type Tensor1D, type Tensor4D, tf } from '@selfsup/backend';
import { batched, type Dataset, mapped, rangeDataset, shuffled } from './dataset.js';
import type { LabeledImages } from './fashion-mnist.js';

/**
 * Gathers images by index into a float32 batch [n, H, W, C] in [0, 1] (and their labels),
 * made on the current backend (C = `set.channels`, 1 by default).
 */
export function imageBatch(set: LabeledImages, indices: readonly number[]): { images: Tensor4D; labels: Tensor1D } {
  const channels = set.channels ?? 1;
  const pixels = set.height * set.width * channels;
  const values = new Float32Array(indices.length * pixels);
  const labels = new Int32Array(indices.length);
  indices.forEach((index, k) => {
    if (!Number.isInteger(index) || index < 0 || index >= set.count) {
      throw new Error(`imageBatch: index ${index} is outside the ${set.count} images`);
    }
    const source = set.images.subarray(index * pixels, (index + 1) * pixels);
    for (let p = 0; p < pixels; p++) values[k * pixels + p] = (source[p] as number) / 255;
    labels[k] = set.labels[index] as number;
  });
  return {
    images: tf.tensor4d(values, [indices.length, set.height, set.width, channels]),
    labels: tf.tensor1d(labels, 'int32'),
  };
}

/** A subset of labeled images by index (copies the selected pixels). */
export function selectImages(set: LabeledImages, indices: readonly number[]): LabeledImages {
  const pixels = set.height * set.width * (set.channels ?? 1);
  const images = new Uint8Array(indices.length * pixels);
  const labels = new Uint8Array(indices.length);
  indices.forEach((index, k) => {
    images.set(set.images.subarray(index * pixels, (index + 1) * pixels), k * pixels);
    labels[k] = set.labels[index] as number;
  });
  return {
    images,
    labels,
    count: indices.length,
    height: set.height,
    width: set.width,
    ...(set.channels === undefined ? {} : { channels: set.channels }),
  };
}

/**
 * Shuffled (per epoch, seeded) batches of images [batchSize, H, W, C] in [0, 1], the last
 * incomplete batch dropped: the usual input of `pretrain`. Tensors are made lazily; the consumer
 * disposes them.
 */
export function labeledImageBatches(
  set: LabeledImages,
  options: { batchSize: number; seed: number | string; dropRemainder?: boolean },
): Dataset<Tensor4D> {
  if (options.batchSize > set.count) {
    throw new Error(`labeledImageBatches: batchSize ${options.batchSize} is larger than the ${set.count} images`);
  }
  const indices = batched(shuffled(rangeDataset(set.count), { seed: options.seed }), options.batchSize, {
    dropRemainder: options.dropRemainder ?? true,
  });
  return mapped(indices, (batch) => {
    const { images, labels } = imageBatch(set, batch);
    labels.dispose();
    return images;
  });
}
