import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../index.js';
import { initBackend } from '../init-backend.js';
import { rowLogSumExp } from './row-log-sum-exp.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('rowLogSumExp', () => {
  it('matches tf.logSumExp and its gradient, stays finite at large logits, and leaks nothing', () => {
    const logits = tf.tensor2d([
      [0.5, -1, 2, 0],
      [300, 299, -5, 301],
      [-2, -2, -2, -2],
    ]);
    const weights = tf.tensor1d([1, -0.5, 2]);
    const before = tf.memory().numTensors;
    const [ours, reference] = tf.tidy(() => {
      const loss = (f: (x: tf.Tensor2D) => tf.Tensor) => (x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D), weights));
      return [
        [
          rowLogSumExp(logits).arraySync(),
          tf
            .grad(loss((x) => rowLogSumExp(x)))(logits)
            .arraySync(),
        ],
        [
          tf.logSumExp(logits, 1).arraySync(),
          tf
            .grad(loss((x) => tf.logSumExp(x, 1)))(logits)
            .arraySync(),
        ],
      ];
    });
    const flat = (values: unknown) => (values as number[] | number[][]).flat();
    for (const [i, value] of flat(ours[0]).entries()) expect(value).toBeCloseTo(flat(reference[0])[i] as number, 4);
    for (const [i, value] of flat(ours[1]).entries()) expect(value).toBeCloseTo(flat(reference[1])[i] as number, 5);
    expect(flat(ours[0]).every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, weights]);
  });

  it('leaves the diagonal out with withoutSelf', () => {
    const logits = tf.tensor2d([
      [5, 1, 2],
      [1, 5, 0],
      [3, 0, 5],
    ]);
    const values = rowLogSumExp(logits, { bound: 5 }).arraySync();
    const expected = [
      [1, 2],
      [1, 0],
      [3, 0],
    ].map((row) => Math.log(row.reduce((total, x) => total + Math.exp(x), 0)));
    for (const [i, value] of values.entries()) expect(value).toBeCloseTo(expected[i] as number, 5);
    logits.dispose();
  });
});
