import { assertNoTensorLeak, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { infoNce } from './info-nce.js';
import { expectGradientsMatchFiniteDifferences } from './test-gradients.js';
import {
  expectClose,
  expectMatchesPytorch,
  type Matrix,
  pytorchCase,
  pytorchReferences,
  scalarValue,
  seededMatrix,
  tensor,
  useWasm,
} from './test-inputs.js';

beforeAll(useWasm);

/** The formula as a loop, float64; `inBatch` adds the other keys of the batch as negatives. */
function infoNceLoop(query: Matrix, keys: Matrix, negatives: Matrix, temperature: number, inBatch = false): number {
  const unit = (v: number[]) => {
    const norm = Math.max(Math.hypot(...v), 1e-12);
    return v.map((x) => x / norm);
  };
  const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * (b[k] as number), 0);
  let total = 0;
  query.forEach((row, i) => {
    const q = unit(row);
    const positive = Math.exp(dot(q, unit(keys[i] as number[])) / temperature);
    let denominator = positive;
    for (const n of negatives) denominator += Math.exp(dot(q, unit(n)) / temperature);
    if (inBatch)
      keys.forEach((k, j) => {
        if (j !== i) denominator += Math.exp(dot(q, unit(k)) / temperature);
      });
    total -= Math.log(positive / denominator);
  });
  return total / query.length;
}

describe('infoNce matches PyTorch (MoCo v2 cross-entropy with target 0; MoCo v3 in-batch)', () => {
  const { z1, z2, negatives } = pytorchReferences().inputs;
  it('queue negatives: gradient into the query only', () => {
    expectMatchesPytorch(
      pytorchCase('infoNce'),
      { query: tensor(z1), positiveKey: tensor(z2), negatives: tensor(negatives) },
      (q, k, n) => infoNce(q as Tensor2D, k as Tensor2D, n as Tensor2D, { temperature: 0.2 }),
    );
  });
  it('in-batch negatives, empty queue (MoCo v3 without its 2τ factor)', () => {
    expectMatchesPytorch(pytorchCase('infoNceInBatch'), { query: tensor(z1), positiveKey: tensor(z2) }, (q, k) =>
      infoNce(q as Tensor2D, k as Tensor2D, tf.zeros([0, 16]) as Tensor2D, {
        temperature: 0.2,
        inBatchNegatives: true,
      }),
    );
  });
});

describe('infoNce agrees with a loop over the formula', () => {
  const [q, k, n] = [seededMatrix(6, 5, 1), seededMatrix(6, 5, 2), seededMatrix(9, 5, 3)];
  it('queue negatives, in-batch negatives, both', () => {
    for (const temperature of [0.07, 0.2, 1]) {
      expectClose(
        scalarValue(() => infoNce(tensor(q), tensor(k), tensor(n), { temperature })),
        infoNceLoop(q, k, n, temperature),
      );
    }
    expectClose(
      scalarValue(() => infoNce(tensor(q), tensor(k), tensor(n), { temperature: 0.2, inBatchNegatives: true })),
      infoNceLoop(q, k, n, 0.2, true),
    );
  });
});

describe('infoNce: hand-derived cases', () => {
  const eye = (n: number, d: number): Matrix =>
    Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
  it('q = k and K orthogonal negatives: log(1 + K·e^(−1/τ))', () => {
    const q = eye(2, 6);
    const negatives = eye(6, 6).slice(2);
    for (const temperature of [0.2, 0.05]) {
      expectClose(
        scalarValue(() => infoNce(tensor(q), tensor(q), tensor(negatives), { temperature })),
        Math.log(1 + 4 * Math.exp(-1 / temperature)),
      );
    }
  });
  it('collapse (keys and negatives all equal the query): log(1 + K)', () => {
    const same = Array.from({ length: 7 }, () => [1, -2, 0.5]);
    expectClose(
      scalarValue(() => infoNce(tensor(same.slice(0, 3)), tensor(same.slice(0, 3)), tensor(same))),
      Math.log(8),
    );
  });
  it('no negatives at all (an empty queue): exactly 0, with zero gradient', () => {
    tf.tidy(() => {
      const q = tensor(seededMatrix(3, 4, 5));
      const empty = tf.zeros([0, 4]) as Tensor2D;
      expect(infoNce(q, q, empty).dataSync()[0]).toBe(0);
      expect(
        Math.max(
          ...Array.from(
            tf
              .grad((x: Tensor) => infoNce(x as Tensor2D, q, empty))(q)
              .dataSync(),
            Math.abs,
          ),
        ),
      ).toBe(0);
    });
  });
});

describe('infoNce gradients', () => {
  it('agree with finite differences (query; and keys too when they are not constants)', () => {
    const negatives = tensor(seededMatrix(6, 5, 21));
    expectGradientsMatchFiniteDifferences(
      (q, k) => infoNce(q, k, negatives, { temperature: 0.5, stopGradientOnKeys: false }),
      [seededMatrix(4, 5, 11), seededMatrix(4, 5, 12)],
    );
    expectGradientsMatchFiniteDifferences(
      (q, k) => infoNce(q, k, negatives, { temperature: 0.5, inBatchNegatives: true }),
      [seededMatrix(4, 5, 13), seededMatrix(4, 5, 14)],
      { check: [0] },
    );
    negatives.dispose();
  });
  it('are exactly zero for keys and negatives by default (MoCo: momentum encoder, queue)', () => {
    tf.tidy(() => {
      const [q, k, n] = [tensor(seededMatrix(4, 5, 1)), tensor(seededMatrix(4, 5, 2)), tensor(seededMatrix(3, 5, 3))];
      const [, gk, gn] = tf.grads((a: Tensor, b: Tensor, c: Tensor) =>
        infoNce(a as Tensor2D, b as Tensor2D, c as Tensor2D),
      )([q, k, n]);
      for (const g of [gk, gn]) expect(Math.max(...Array.from((g as Tensor).dataSync(), Math.abs))).toBe(0);
    });
  });
});

describe('infoNce is numerically stable', () => {
  it('zero vectors, τ = 0.05 with identical / opposite keys, batch 1 with a queue', () => {
    tf.tidy(() => {
      const zeros = tf.zeros([4, 8]) as Tensor2D;
      const near = tf.add(tf.ones([4, 8]), tf.mul(tf.randomNormal([4, 8], 0, 1, 'float32', 3), 1e-3)) as Tensor2D;
      for (const [q, k] of [
        [zeros, zeros],
        [near, near],
        [near, tf.neg(near) as Tensor2D],
      ] as const) {
        const f = (x: Tensor) => infoNce(x as Tensor2D, k, near, { temperature: 0.05, inBatchNegatives: true });
        expect(Number.isFinite(f(q).dataSync()[0])).toBe(true);
        expect(Array.from(tf.grad(f)(q).dataSync()).every(Number.isFinite)).toBe(true);
      }
      expect(
        Number.isFinite(infoNce(tf.ones([1, 8]) as Tensor2D, tf.ones([1, 8]) as Tensor2D, near).dataSync()[0]),
      ).toBe(true);
    });
  });
});

describe('infoNce rejects bad input with errors naming it', () => {
  it('shapes, temperature, NaN', () => {
    tf.tidy(() => {
      const a = tf.zeros([8, 16]) as Tensor2D;
      expect(() => infoNce(a, tf.zeros([7, 16]) as Tensor2D, a)).toThrow(
        'infoNce: query and positiveKey must both be [batch, dim]; got [8,16] and [7,16]',
      );
      expect(() => infoNce(a, a, tf.zeros([8, 15]) as Tensor2D)).toThrow(
        'infoNce: negatives must be [K, 16] like query; got [8,15]',
      );
      expect(() => infoNce(a, a, tf.zeros([16]) as unknown as Tensor2D)).toThrow(
        'infoNce: negatives must be [batch, dim]; got [16]',
      );
      expect(() =>
        infoNce(tf.zeros([1, 4]) as Tensor2D, tf.zeros([1, 4]) as Tensor2D, tf.zeros([0, 4]) as Tensor2D, {
          inBatchNegatives: true,
        }),
      ).toThrow('infoNce: needs a batch of at least 2 (in-batch negatives); query is [1,4]');
      expect(() => infoNce(a, a, a, { temperature: 0 })).toThrow(/temperature must be a finite number above 0/);
      const bad = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, Number.NaN],
      ]) as Tensor2D;
      const good = tf.ones([2, 2]) as Tensor2D;
      expect(() => infoNce(good, good, bad)).toThrow(
        'infoNce: negatives contains NaN at row 2, column 1; the loss is NaN',
      );
    });
  });
});

describe('infoNce leaks no tensors', () => {
  it('forward (with and without negatives, in-batch), gradient', async () => {
    const [q, k, n] = [tensor(seededMatrix(6, 4, 30)), tensor(seededMatrix(6, 4, 31)), tensor(seededMatrix(5, 4, 32))];
    const empty = tf.zeros([0, 4]) as Tensor2D;
    await assertNoTensorLeak('infoNce', () => infoNce(q, k, n));
    await assertNoTensorLeak('infoNce empty queue', () => infoNce(q, k, empty));
    await assertNoTensorLeak('infoNce in-batch', () =>
      infoNce(q, k, n, { inBatchNegatives: true, stopGradientOnKeys: false }),
    );
    await assertNoTensorLeak('infoNce gradient', () =>
      tf.grads((a: Tensor, b: Tensor) => infoNce(a as Tensor2D, b as Tensor2D, n))([q, k]),
    );
    tf.dispose([q, k, n, empty]);
  });
});
