import { assertNoTensorLeak, createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { blurKernelSize, blurWithSigmas, gaussianBlur, gaussianKernel1d } from './gaussian-blur.js';
import {
  expectAugmentationContract,
  expectRate,
  maxAbsDiff,
  randomBatch,
  unchangedSamples,
  values,
} from './test-helpers.js';
import { gaussianBlurImage, gaussianKernel } from './test-torchvision-reference.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('gaussianKernel1d and blurKernelSize', () => {
  it('match torchvision taps and SimCLR kernel sizes', () => {
    for (const [size, sigma] of [
      [3, 0.1],
      [5, 1],
      [23, 2],
    ] as const) {
      const taps = gaussianKernel1d(size, sigma);
      expect(taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      taps.forEach((t, i) => {
        expect(t).toBeCloseTo(gaussianKernel(size, sigma)[i] as number, 12);
      });
    }
    expect([224, 96, 64, 32, 28].map((side) => blurKernelSize([side, side]))).toEqual([23, 9, 7, 3, 3]);
    expect(() => gaussianKernel1d(4, 1)).toThrow(/odd positive integer/);
  });
});

describe('blurWithSigmas', () => {
  it('matches torchvision gaussian_blur (reflect padding, separable) per sample, for several kernel sizes', async () => {
    const [n, h, w, c] = [3, 13, 12, 3];
    const images = randomBatch(n, h, w, c, 5);
    const data = values(images);
    const sigmas = [0.3, 1.1, 2];
    for (const size of [3, 5, 7, 11]) {
      const got = values(blurWithSigmas(images, size, sigmas));
      const per = h * w * c;
      const expected = sigmas.flatMap((sigma, s) =>
        gaussianBlurImage(data.slice(s * per, (s + 1) * per), [h, w, c], size, sigma),
      );
      expect(Math.max(...got.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-5);
    }
    await assertNoTensorLeak('blurWithSigmas', () => blurWithSigmas(images, 9, sigmas));
    images.dispose();
  });

  it('preserves the mean: exactly in the reflect-boundary sense (border pixels weigh 1/2), and of constants', () => {
    const constant = tf.fill([2, 8, 8, 3], 0.3) as Tensor4D;
    expect(maxAbsDiff(blurWithSigmas(constant, 5, [0.5, 2]), constant)).toBeLessThan(1e-6);
    // Reflect padding (the edge not repeated) is diagonalized by the DCT-I, whose constant mode
    // weighs the first and last pixel of each axis by 1/2: that weighted mean is kept exactly.
    const [h, w] = [12, 10];
    const weights = tf.tidy(() => {
      const axis = (n: number) => tf.tensor1d(Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? 0.5 : 1)));
      return tf.reshape(tf.outerProduct(axis(h), axis(w)), [1, h, w, 1]);
    });
    const weightedMean = (t: tf.Tensor) =>
      values(tf.tidy(() => tf.div(tf.sum(tf.mul(t, weights), [1, 2]), tf.sum(weights))));
    const noise = randomBatch(3, h, w, 3, 8);
    for (const size of [3, 5, 9]) {
      const blurred = blurWithSigmas(noise, size, [0.4, 1, 2]);
      const before = weightedMean(noise);
      weightedMean(blurred).forEach((m, i) => {
        expect(Math.abs(m - (before[i] as number))).toBeLessThan(1e-6);
      });
      // The plain mean moves only a little.
      expect(maxAbsDiff(tf.mean(blurred, [1, 2]), tf.mean(noise, [1, 2]))).toBeLessThan(0.02);
      blurred.dispose();
    }
    const { variance } = tf.moments(blurWithSigmas(noise, 5, [0.3, 1, 2]), [1, 2, 3]);
    const [v0, v1, v2] = values(variance) as [number, number, number];
    expect(v0).toBeGreaterThan(v1);
    expect(v1).toBeGreaterThan(v2);
    expect(() => blurWithSigmas(noise, 25, [1, 1, 1])).toThrow(
      'gaussianBlur: kernel 25 is too large for 12×10 images (reflect padding)',
    );
    tf.dispose([constant, weights, noise, variance]);
  });
});

describe('gaussianBlur', () => {
  it('blurs samples at rate p with σ in range, and keeps the contract', async () => {
    const images = randomBatch(400, 6, 6, 1);
    const out = gaussianBlur({ kernelSize: 3, p: 0.5 })(images, createRng(3));
    expectRate(unchangedSamples(images, out).filter((s) => !s).length, 400, 0.5);
    await expectAugmentationContract('gaussianBlur', gaussianBlur({ kernelSize: 5 }), randomBatch(8, 9, 9, 3));
    expect(() => gaussianBlur({ kernelSize: 4 })).toThrow(
      'gaussianBlur: kernelSize must be an odd positive integer; got 4',
    );
    expect(() => gaussianBlur({ kernelSize: 3, sigma: [0, 1] })).toThrow(/sigma must be/);
    tf.dispose([images, out]);
  });
});
