import { assertNoTensorLeak, type Tensor, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { l2Normalize } from './l2-normalize.js';
import { expectGradientsMatchFiniteDifferences } from './test-gradients.js';
import { seededMatrix, useWasm } from './test-inputs.js';

beforeAll(useWasm);

describe('l2Normalize', () => {
  it('scales rows to unit norm along the last axis and keeps zero rows at zero (F.normalize)', () => {
    tf.tidy(() => {
      expect(
        Array.from(
          l2Normalize(
            tf.tensor2d([
              [3, 4],
              [0, 0],
            ]),
          ).dataSync(),
        ),
      ).toEqual([0.6, 0.8, 0, 0].map(Math.fround));
      const norms = tf.norm(l2Normalize(tf.randomNormal([2, 3, 5], 0, 1, 'float32', 1)), 'euclidean', -1).dataSync();
      for (const n of norms) expect(n).toBeCloseTo(1, 6);
      // Below ε the norm is clamped: x / ε.
      expect(l2Normalize(tf.tensor2d([[1e-13, 0]])).dataSync()[0]).toBeCloseTo(0.1, 6);
    });
  });
  it('has a finite gradient at a zero vector and a correct one elsewhere', () => {
    tf.tidy(() => {
      const g = tf.grad((x: Tensor) => tf.sum(tf.mul(l2Normalize(x), tf.tensor2d([[1, 2, 3]]))))(tf.zeros([1, 3]));
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    });
    const weights = tf.tensor2d(seededMatrix(3, 4, 2));
    expectGradientsMatchFiniteDifferences((x) => tf.sum(tf.mul(l2Normalize(x), weights)), [seededMatrix(3, 4, 1)], {
      step: 1e-3,
    });
    weights.dispose();
  });
  it('rejects bad input and leaks nothing', async () => {
    expect(() => l2Normalize(tf.zeros([2], 'int32'))).toThrow('l2Normalize: x must be float32; got int32');
    expect(() => l2Normalize(tf.zeros([2]), 0)).toThrow('l2Normalize: epsilon must be a finite number above 0; got 0');
    const x = tf.ones([4, 3]);
    await assertNoTensorLeak('l2Normalize', () => l2Normalize(x));
    x.dispose();
  });
});
