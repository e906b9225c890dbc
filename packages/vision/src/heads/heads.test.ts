import { assertNoTensorLeak, createRng, initBackend, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { createImageDecoder } from './image-decoder.js';
import { createTileSetClassifier } from './tile-set-classifier.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('task-owned heads', () => {
  it('the tile-set classifier depends on the order of the tiles, not only on the set', async () => {
    const head = createTileSetClassifier({ inputSize: 6, tiles: 3, tileHiddenSize: 5, hiddenSize: 7, classes: 4 });
    const features = createRng(0).normalTensor([6, 6]) as Tensor2D;
    const logits = await assertNoTensorLeak('tile-set classifier', () => head.apply(features, { training: false }));
    expect(logits.shape).toEqual([2, 4]);
    const a = head.apply(features, { training: false });
    const swapped = tf.concat([
      features.slice([1, 0], [1, 6]),
      features.slice([0, 0], [1, 6]),
      features.slice([2, 0], [4, 6]),
    ]);
    const b = head.apply(swapped as Tensor2D, { training: false });
    expect(tf.max(tf.abs(tf.sub(a.slice([0, 0], [1, 4]), b.slice([0, 0], [1, 4])))).dataSync()[0]).toBeGreaterThan(
      1e-4,
    );
    expect(Array.from(a.slice([1, 0], [1, 4]).dataSync())).toEqual(Array.from(b.slice([1, 0], [1, 4]).dataSync()));
    expect(() => head.apply(features.slice([0, 0], [4, 6]) as Tensor2D, { training: false })).toThrow(
      'tile_set_classifier: got 4 feature rows, not a multiple of 3 tiles per example',
    );
    expect(head.trainableVariables).toHaveLength(8);
    tf.dispose([features, a, swapped, b]);
    head.dispose();
  });

  it('the image decoder paints maps of any size from one vector, in [0, 1] with a sigmoid', async () => {
    for (const outputShape of [
      [28, 28, 1],
      [7, 7, 300],
      [9, 13, 3],
    ] as Array<[number, number, number]>) {
      const decoder = createImageDecoder({ inputSize: 8, outputShape, outputActivation: 'sigmoid', seed: 1 });
      const features = createRng(0).normalTensor([2, 8]) as Tensor2D;
      const map = await assertNoTensorLeak('image decoder', () => decoder.decode(features, { training: true }));
      expect(map.shape).toEqual([2, ...outputShape]);
      const flat = decoder.apply(features, { training: false });
      expect(flat.shape).toEqual([2, outputShape[0] * outputShape[1] * outputShape[2]]);
      expect(tf.min(flat).dataSync()[0]).toBeGreaterThanOrEqual(0);
      expect(tf.max(flat).dataSync()[0]).toBeLessThanOrEqual(1);
      tf.dispose([features, flat]);
      decoder.dispose();
    }
    expect(() => createImageDecoder({ inputSize: 8, outputShape: [0, 4, 1] })).toThrow(
      'createImageDecoder: sizes must be positive integers',
    );
  });
});
