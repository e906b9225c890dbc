import { assertNoTensorLeak, createRng, initBackend, readScalars, type Tensor4D, tf } from '@selfsup/backend';
import { createSmallCnn } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistImages } from '../test-images.js';
import { lossBeforeAndAfter } from '../test-training.js';
import { denoisingTask } from './denoising-task.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('denoising task', () => {
  it('corrupts as asked and targets the clean images', () => {
    const images = tf.add(tf.mul(createRng(1).uniformTensor([4, 16, 16, 1]), 0.8), 0.1) as Tensor4D;
    const clean = Array.from(images.dataSync());
    for (const [noise, allowed] of [
      ['masking', [0]],
      ['salt-and-pepper', [0, 1]],
    ] as const) {
      const batch = denoisingTask({ noise, level: 0.3 }).makeBatch(images, { rng: createRng(2), training: true });
      expect(Array.from(batch.targets.dataSync())).toEqual(clean);
      const noisy = Array.from(batch.inputs.dataSync());
      const corrupted = noisy.filter((v, i) => v !== clean[i]);
      for (const v of corrupted) expect(allowed).toContain(v);
      const expected = noise === 'masking' ? 0.3 : 0.3;
      expect(Math.abs(corrupted.length / noisy.length - expected)).toBeLessThan(0.08);
      tf.dispose([batch.inputs, batch.targets]);
    }
    const gaussian = denoisingTask({ noise: 'gaussian', level: 0.2 }).makeBatch(images, {
      rng: createRng(2),
      training: true,
    });
    const residual = tf.sub(gaussian.inputs, images);
    expect(tf.min(gaussian.inputs).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.moments(residual).variance.dataSync()[0]).toBeGreaterThan(0.01);
    tf.dispose([images, gaussian.inputs, gaussian.targets, residual]);
  });

  it('is deterministic per seed, leaks nothing, names bad options, and trains on real Fashion-MNIST', async () => {
    const task = denoisingTask();
    const images = await fashionMnistImages(32);
    const a = task.makeBatch(images, { rng: createRng(9), training: true });
    const b = task.makeBatch(images, { rng: createRng(9), training: true });
    expect(Array.from(a.inputs.dataSync())).toEqual(Array.from(b.inputs.dataSync()));
    await assertNoTensorLeak('denoising makeBatch', () =>
      task.makeBatch(images, { rng: createRng(0), training: true }),
    );
    const perfect = tf.reshape(images, [32, -1]);
    await assertNoTensorLeak('denoising loss', () => task.loss(perfect, a));
    expect(await readScalars(task.metrics?.(perfect, a) ?? {})).toEqual({ reconstructionMse: 0 });
    expect(() => denoisingTask({ noise: 'masking', level: 2 })).toThrow(
      'denoisingTask: level must be in [0, 1) for masking noise; got 2',
    );
    const encoder = createSmallCnn({ widths: [16, 32, 32], strides: [1, 2, 2], seed: 1 });
    const { before, after, head } = lossBeforeAndAfter(task, encoder, images, { steps: 12, learningRate: 3e-3 });
    expect(after).toBeLessThan(before * 0.7);
    tf.dispose([images, a, b, perfect] as tf.TensorContainer);
    head?.dispose();
    encoder.dispose();
  });
});
