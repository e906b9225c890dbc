import { assertNoTensorLeak, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { barlowTwins } from './barlow-twins.js';
import { expectFiniteGradientsOnItself, expectGradientsMatchFiniteDifferences, zeroMatrix } from './test-gradients.js';
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

/** The formula as loops, float64: biased-variance standardization (ε 1e-5), C = ẑ1ᵀẑ2/N. */
function barlowTwinsLoop(z1: Matrix, z2: Matrix, lambda: number): number {
  const n = z1.length;
  const d = (z1[0] as number[]).length;
  const standardize = (z: Matrix) => {
    const mean = Array.from({ length: d }, (_, j) => z.reduce((s, r) => s + (r[j] as number), 0) / n);
    const variance = Array.from(
      { length: d },
      (_, j) => z.reduce((s, r) => s + ((r[j] as number) - (mean[j] as number)) ** 2, 0) / n,
    );
    return z.map((r) => r.map((x, j) => (x - (mean[j] as number)) / Math.sqrt((variance[j] as number) + 1e-5)));
  };
  const a = standardize(z1);
  const b = standardize(z2);
  let loss = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let c = 0;
      for (let k = 0; k < n; k++) c += ((a[k] as number[])[i] as number) * ((b[k] as number[])[j] as number);
      c /= n;
      loss += i === j ? (1 - c) ** 2 : lambda * c * c;
    }
  }
  return loss;
}

describe('barlowTwins matches the references', () => {
  const { z1, z2 } = pytorchReferences().inputs;
  it('scripts/make-pytorch-references.py, λ = 5e-3, official form (BatchNorm1d standardization): 16.0077893349', () => {
    expectClose(
      scalarValue(() => barlowTwins(tensor(z1), tensor(z2), { lambda: 5e-3 })),
      16.0077893349,
      1e-4,
    );
  });
  it('PyTorch value and gradients w.r.t. both views', () => {
    expectMatchesPytorch(pytorchCase('barlowTwins'), { z1: tensor(z1), z2: tensor(z2) }, (a, b) =>
      barlowTwins(a as Tensor2D, b as Tensor2D),
    );
  });
  it('agrees with a loop over the formula', () => {
    const [a, b] = [seededMatrix(9, 6, 1), seededMatrix(9, 6, 2)];
    for (const lambda of [5e-3, 0.1, 1])
      expectClose(
        scalarValue(() => barlowTwins(tensor(a), tensor(b), { lambda })),
        barlowTwinsLoop(a, b, lambda),
      );
  });
});

describe('barlowTwins: hand-derived cases', () => {
  it('identical views whose standardized dimensions are orthogonal: C = I·(1/(1 + ε)), loss ≈ 0', () => {
    const z = [
      [1, 1, 1],
      [1, -1, -1],
      [-1, 1, -1],
      [-1, -1, 1],
    ];
    // Columns have mean 0, biased variance 1 and are pairwise orthogonal: C_ii = 1/√(1+ε)², C_ij = 0.
    expectClose(
      scalarValue(() => barlowTwins(tensor(z), tensor(z))),
      3 * (1 - 1 / (1 + 1e-5)) ** 2,
      1e-6,
    );
  });
  it('collapse (constant embeddings, even zero vectors) gives D: the dimensions standardize to 0', () => {
    expectClose(
      scalarValue(() => barlowTwins(tf.ones([8, 6]) as Tensor2D, tf.ones([8, 6]) as Tensor2D)),
      6,
    );
    expectClose(
      scalarValue(() => barlowTwins(tf.zeros([8, 6]) as Tensor2D, tf.zeros([8, 6]) as Tensor2D)),
      6,
    );
  });
  it('is invariant to a per-dimension affine change of either view (batch standardization)', () => {
    const [a, b] = [seededMatrix(10, 3, 3), seededMatrix(10, 3, 4)];
    const shifted = a.map((r) => r.map((x, j) => 5 * (j + 1) * x + 3 * j));
    expectClose(
      scalarValue(() => barlowTwins(tensor(shifted), tensor(b))),
      scalarValue(() => barlowTwins(tensor(a), tensor(b))),
      1e-4,
    );
  });
});

describe('barlowTwins gradients, stability, errors, leaks', () => {
  it('gradients w.r.t. both views agree with finite differences', () => {
    expectGradientsMatchFiniteDifferences(
      (a, b) => barlowTwins(a, b, { lambda: 0.05 }),
      [seededMatrix(4, 5, 11), seededMatrix(4, 5, 12)],
    );
  });
  it('zero vectors and batch 2: finite value and gradient', () => {
    expectFiniteGradientsOnItself(barlowTwins, [
      zeroMatrix(4, 3),
      [
        [1, 2, 3],
        [3, 2, 1],
      ],
    ]);
    tf.tidy(() => {
      const [a, b] = [seededMatrix(2, 3, 5), seededMatrix(2, 3, 6)];
      expectClose(barlowTwins(tensor(a), tensor(b)).dataSync()[0] as number, barlowTwinsLoop(a, b, 5e-3), 1e-4);
    });
  });
  it('errors name the input', () => {
    tf.tidy(() => {
      expect(() => barlowTwins(tf.zeros([1, 4]) as Tensor2D, tf.zeros([1, 4]) as Tensor2D)).toThrow(
        'barlowTwins: needs a batch of at least 2 (batch statistics); z1 is [1,4]',
      );
      expect(() => barlowTwins(tf.zeros([4, 4]) as Tensor2D, tf.zeros([4, 5]) as Tensor2D)).toThrow(
        'barlowTwins: z1 and z2 must both be [batch, dim]; got [4,4] and [4,5]',
      );
      const bad = tf.tensor2d([
        [1, 2],
        [Number.NaN, 4],
        [5, 6],
      ]) as Tensor2D;
      expect(() => barlowTwins(bad, tf.ones([3, 2]) as Tensor2D)).toThrow(
        'barlowTwins: z1 contains NaN at row 1, column 0; the loss is NaN',
      );
      expect(() => barlowTwins(bad, bad, { lambda: Number.POSITIVE_INFINITY })).toThrow(
        'barlowTwins: lambda must be a finite number; got Infinity',
      );
    });
  });
  it('leaks no tensors', async () => {
    const [a, b] = [tensor(seededMatrix(6, 4, 30)), tensor(seededMatrix(6, 4, 31))];
    await assertNoTensorLeak('barlowTwins', () => barlowTwins(a, b));
    await assertNoTensorLeak('barlowTwins gradient', () =>
      tf.grads((x: Tensor, y: Tensor) => barlowTwins(x as Tensor2D, y as Tensor2D))([a, b]),
    );
    tf.dispose([a, b]);
  });
});
