import { assertNoTensorLeak, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { sinkhornKnopp } from './sinkhorn-knopp.js';
import { relativeError, seededMatrix, tensor, useWasm } from './test-inputs.js';
import { sinkhornLoop } from './test-sinkhorn.js';

beforeAll(useWasm);

describe('sinkhornKnopp', () => {
  it('agrees with a loop over the official (multiplicative) algorithm for several iterations and ε', () => {
    const scores = seededMatrix(8, 5, 1, 0.3);
    for (const [iterations, epsilon] of [
      [0, 0.05],
      [3, 0.05],
      [10, 0.1],
      [1, 0.5],
    ] as const) {
      const codes = tf.tidy(() => Array.from(sinkhornKnopp(tensor(scores), { iterations, epsilon }).dataSync()));
      expect(relativeError(codes, sinkhornLoop(scores, iterations, epsilon).flat())).toBeLessThan(1e-5);
    }
  });
  it('makes every sample a distribution, and with enough iterations gives every prototype B/K', () => {
    tf.tidy(() => {
      const codes = sinkhornKnopp(tensor(seededMatrix(8, 4, 10)), { iterations: 50, epsilon: 0.5 });
      for (const r of tf.sum(codes, 1).dataSync()) expect(r).toBeCloseTo(1, 5);
      for (const c of tf.sum(codes, 0).dataSync()) expect(c).toBeCloseTo(2, 4);
    });
  });
  it('uniform scores give uniform codes 1/K; scores of any scale give finite codes', () => {
    tf.tidy(() => {
      for (const q of sinkhornKnopp(tf.fill([6, 5], 0.3) as Tensor2D).dataSync()) expect(q).toBeCloseTo(0.2, 6);
      const huge = tensor(seededMatrix(6, 4, 11, 1000)); // exp(score/ε) overflows float32 in the official form
      const codes = sinkhornKnopp(huge);
      expect(Array.from(codes.dataSync()).every(Number.isFinite)).toBe(true);
      for (const r of tf.sum(codes, 1).dataSync()) expect(r).toBeCloseTo(1, 5);
    });
  });
  it('passes no gradient to the scores', () => {
    tf.tidy(() => {
      const g = tf.grad((x: Tensor) => tf.sum(tf.mul(sinkhornKnopp(x as Tensor2D), tf.range(0, 20).reshape([4, 5]))))(
        tensor(seededMatrix(4, 5, 2)),
      );
      expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
    });
  });
  it('rejects bad options and leaks nothing', async () => {
    const s = tf.zeros([4, 3]) as Tensor2D;
    expect(() => sinkhornKnopp(s, { iterations: 1.5 })).toThrow(
      'sinkhornKnopp: iterations must be a non-negative integer; got 1.5',
    );
    expect(() => sinkhornKnopp(s, { epsilon: 0 })).toThrow(
      'sinkhornKnopp: epsilon must be a finite number above 0; got 0',
    );
    expect(() => sinkhornKnopp(tf.zeros([4]) as unknown as Tensor2D)).toThrow(
      'sinkhornKnopp: scores must be [batch, dim]; got [4]',
    );
    await assertNoTensorLeak('sinkhornKnopp', () => sinkhornKnopp(s, { iterations: 5 }));
    s.dispose();
  });
});
