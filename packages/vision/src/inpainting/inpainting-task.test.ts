import { assertNoTensorLeak, createRng, initBackend, readScalars, type Tensor4D, tf } from '@selfsup/backend';
import { createSmallCnn } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistImages } from '../test-images.js';
import { expectSeededLeakFree, lossBeforeAndAfter } from '../test-training.js';
import { inpaintingMasks } from './inpainting-masks.js';
import { inpaintingTask } from './inpainting-task.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

function sumOf(values: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i] as number;
  return sum;
}

describe('inpainting masks', () => {
  it('hide the central square, a random square, or random regions of about the asked coverage', () => {
    const center = inpaintingMasks(1, 28, 28, { kind: 'center', maskSize: 0.5, coverage: 0.25 }, createRng(0));
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) expect(center[y * 28 + x]).toBe(y >= 7 && y < 21 && x >= 7 && x < 21 ? 1 : 0);
    const blocks = inpaintingMasks(20, 28, 28, { kind: 'random-block', maskSize: 0.5, coverage: 0.25 }, createRng(1));
    const starts = new Set<number>();
    for (let n = 0; n < 20; n++) {
      expect(sumOf(blocks, n * 784, (n + 1) * 784)).toBe(196);
      starts.add(blocks.indexOf(1, n * 784) - n * 784);
    }
    expect(starts.size).toBeGreaterThan(5);
    const regions = inpaintingMasks(20, 28, 28, { kind: 'random-region', maskSize: 0.5, coverage: 0.25 }, createRng(2));
    for (let n = 0; n < 20; n++) expect(sumOf(regions, n * 784, (n + 1) * 784) / 784).toBeGreaterThanOrEqual(0.25);
    expect(inpaintingMasks(20, 28, 28, { kind: 'random-region', maskSize: 0.5, coverage: 0.25 }, createRng(2))).toEqual(
      regions,
    );
    expect(() =>
      inpaintingMasks(1, 8, 8, { kind: 'star' as never, maskSize: 0.5, coverage: 0.2 }, createRng(0)),
    ).toThrow("inpaintingMasks: 'star' is not a mask kind; known: center, random-block, random-region");
  });
});

describe('inpainting task', () => {
  it('is correct by construction: the encoder sees the fill where the mask is, and the loss sees exactly the masked pixels', () => {
    const images = createRng(1).uniformTensor([4, 12, 12, 3]) as Tensor4D;
    const task = inpaintingTask({ mask: 'random-region', fillValue: 0.25 });
    const batch = task.makeBatch(images, { rng: createRng(2), training: true });
    const mask = batch.weights.arraySync() as number[][][][];
    const inputs = batch.inputs.arraySync() as number[][][][];
    const original = images.arraySync() as number[][][][];
    expect(Array.from(batch.targets.dataSync())).toEqual(Array.from(images.dataSync()));
    for (let n = 0; n < 4; n++)
      for (let y = 0; y < 12; y++)
        for (let x = 0; x < 12; x++)
          for (let c = 0; c < 3; c++) {
            const hidden = mask[n]?.[y]?.[x]?.[0] === 1;
            expect(inputs[n]?.[y]?.[x]?.[c]).toBeCloseTo(hidden ? 0.25 : (original[n]?.[y]?.[x]?.[c] as number), 6);
          }
    // Gradient of the loss with respect to the outputs: non-zero on masked pixels only.
    const outputs = createRng(3).uniformTensor([4, 12 * 12 * 3]);
    const gradient = tf.grad((o: tf.Tensor) => task.loss(o, batch))(outputs);
    const g = tf.reshape(gradient, [4, 12, 12, 3]).arraySync() as number[][][][];
    for (let n = 0; n < 4; n++)
      for (let y = 0; y < 12; y++)
        for (let x = 0; x < 12; x++)
          for (let c = 0; c < 3; c++) {
            const hidden = mask[n]?.[y]?.[x]?.[0] === 1;
            expect(Math.abs(g[n]?.[y]?.[x]?.[c] as number) > 0).toBe(hidden);
          }
    // The loss is the mean squared error over the hidden pixels and channels.
    const diff = tf.sub(tf.reshape(outputs, [4, 12, 12, 3]), images);
    const expected = tf.div(tf.sum(tf.mul(tf.square(diff), batch.weights)), tf.mul(tf.sum(batch.weights), 3));
    expect(task.loss(outputs, batch).dataSync()[0]).toBeCloseTo(expected.dataSync()[0] as number, 6);
    tf.dispose([images, batch, outputs, gradient, diff, expected] as tf.TensorContainer);
  });

  it('is deterministic per seed, leaks nothing, and names bad input', async () => {
    const task = inpaintingTask();
    const images = createRng(5).uniformTensor([3, 28, 28, 1]) as Tensor4D;
    const encoder = createSmallCnn({ widths: [8, 16], strides: [2, 2] });
    const { batch: a, head, outputs } = await expectSeededLeakFree(task, images, encoder);
    expect(outputs.shape).toEqual([3, 784]);
    const perfect = tf.reshape(images, [3, 784]);
    expect(task.loss(perfect, a).dataSync()[0]).toBe(0);
    await assertNoTensorLeak('inpainting loss', () => task.loss(perfect, a));
    expect((await readScalars(task.metrics?.(perfect, a) ?? {})).maskedMse).toBe(0);
    expect(() =>
      task.makeBatch(tf.zeros([2, 28, 28]) as unknown as Tensor4D, { rng: createRng(0), training: true }),
    ).toThrow('inpaintingTask: images must be a float32 batch [N, H, W, C] in [0, 1]; got float32 [2,28,28]');
    expect(() => inpaintingTask({ maskSize: 1.5 })).toThrow('inpaintingTask: maskSize must be in (0, 1]; got 1.5');
    tf.dispose([images, a, perfect] as tf.TensorContainer);
    head?.dispose();
    encoder.dispose();
  });

  it('trains: the masked L2 loss on real Fashion-MNIST goes down in a few steps', async () => {
    const images = await fashionMnistImages(32);
    const encoder = createSmallCnn({ widths: [16, 32, 32], strides: [1, 2, 2], seed: 1 });
    const { before, after, head } = lossBeforeAndAfter(inpaintingTask({ mask: 'center' }), encoder, images, {
      steps: 12,
      learningRate: 3e-3,
    });
    expect(after).toBeLessThan(before * 0.7);
    head?.dispose();
    encoder.dispose();
    images.dispose();
  });
});
