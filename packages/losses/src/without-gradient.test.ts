import { assertNoTensorLeak, type Tensor, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from './test-inputs.js';
import { withoutGradient } from './without-gradient.js';

beforeAll(useWasm);

describe('withoutGradient', () => {
  it('computes the value, with exactly zero gradient into every input', () => {
    tf.tidy(() => {
      const [a, b] = [tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6])];
      const f = (x: Tensor, y: Tensor) =>
        tf.sum(
          tf.add(
            tf.mul(x, y),
            withoutGradient([x, y], (u, v) => tf.mul(u as Tensor, v as Tensor)),
          ),
        );
      expect(f(a, b).dataSync()[0]).toBe(2 * (4 + 10 + 18));
      const [ga, gb] = tf.grads(f)([a, b]);
      expect(Array.from((ga as Tensor).dataSync())).toEqual([4, 5, 6]); // only the x·y outside counts
      expect(Array.from((gb as Tensor).dataSync())).toEqual([1, 2, 3]);
    });
  });
  it('leaks nothing, with or without a gradient pass', async () => {
    const x = tf.ones([4]);
    await assertNoTensorLeak('withoutGradient', () => withoutGradient(x, (v) => tf.exp(tf.mul(v, 2))));
    await assertNoTensorLeak('withoutGradient gradient', () =>
      tf.grad((v: Tensor) =>
        tf.sum(
          tf.mul(
            v,
            withoutGradient(v, (u) => tf.exp(u)),
          ),
        ),
      )(x),
    );
    x.dispose();
  });
});
