import { assertNoTensorLeak, type Tensor, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { stopGradient } from './stop-gradient.js';
import { useWasm } from './test-inputs.js';

beforeAll(useWasm);

describe('stopGradient', () => {
  it('is the identity forward and blocks the gradient exactly', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [1, -2],
        [3, 4],
      ]);
      expect(Array.from(stopGradient(x).dataSync())).toEqual([1, -2, 3, 4]);
      // d/dx [x·x + stop(x)·x] = 2x + stop(x) … with the stopped factor constant: 2x + x = 3x, not 4x.
      const g = tf.grad((v: Tensor) => tf.sum(tf.add(tf.mul(v, v), tf.mul(stopGradient(v), v))))(x);
      expect(Array.from(g.dataSync())).toEqual([3, -6, 9, 12]);
      expect(
        Array.from(
          tf
            .grad((v: Tensor) => tf.sum(stopGradient(v)))(x)
            .dataSync(),
        ),
      ).toEqual([0, 0, 0, 0]);
    });
  });
  it('leaks nothing', async () => {
    const x = tf.ones([3]);
    await assertNoTensorLeak('stopGradient', () => stopGradient(x));
    await assertNoTensorLeak('stopGradient gradient', () => tf.grad((v: Tensor) => tf.sum(stopGradient(v)))(x));
    x.dispose();
  });
});
