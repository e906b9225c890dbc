import { assertNoTensorLeak, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFiniteGradientsOnItself, expectGradientsMatchFiniteDifferences, zeroMatrix } from './test-gradients.js';
import {
  expectClose,
  expectMatchesPytorch,
  type Matrix,
  pytorchCase,
  pytorchReferences,
  seededMatrix,
  tensor,
  useWasm,
} from './test-inputs.js';
import { vicreg } from './vicreg.js';

beforeAll(useWasm);

/** The official VICReg forward as loops, float64: unbiased variance, ε 1e-4, Cov with 1/(N − 1), off-diagonal² / D. */
function vicregLoop(z1: Matrix, z2: Matrix, coefficients = [25, 25, 1]) {
  const n = z1.length;
  const d = (z1[0] as number[]).length;
  let invariance = 0;
  for (let k = 0; k < n; k++)
    for (let j = 0; j < d; j++)
      invariance += (((z1[k] as number[])[j] as number) - ((z2[k] as number[])[j] as number)) ** 2;
  invariance /= n * d;
  let variance = 0;
  let covariance = 0;
  for (const z of [z1, z2]) {
    const mean = Array.from({ length: d }, (_, j) => z.reduce((s, r) => s + (r[j] as number), 0) / n);
    const c = z.map((r) => r.map((x, j) => x - (mean[j] as number)));
    for (let j = 0; j < d; j++) {
      const v = c.reduce((s, r) => s + (r[j] as number) ** 2, 0) / (n - 1);
      variance += Math.max(0, 1 - Math.sqrt(v + 1e-4)) / d / 2;
    }
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        if (i === j) continue;
        const cov = c.reduce((s, r) => s + (r[i] as number) * (r[j] as number), 0) / (n - 1);
        covariance += cov ** 2 / d;
      }
    }
  }
  const [lambda, mu, nu] = coefficients as [number, number, number];
  return { loss: lambda * invariance + mu * variance + nu * covariance, invariance, variance, covariance };
}

const terms = (make: () => ReturnType<typeof vicreg>) =>
  tf.tidy(() => {
    const t = make();
    return {
      loss: t.loss.dataSync()[0],
      invariance: t.invariance.dataSync()[0],
      variance: t.variance.dataSync()[0],
      covariance: t.covariance.dataSync()[0],
    };
  }) as { loss: number; invariance: number; variance: number; covariance: number };

describe('vicreg matches the references', () => {
  const { z1, z2 } = pytorchReferences().inputs;
  it('scripts/make-pytorch-references.py, 25/25/1: 46.3908752653 = 25·1.5800622001 + 25·0.1379284991 + 3.4411077847', () => {
    const t = terms(() => vicreg(tensor(z1), tensor(z2), { simCoeff: 25, stdCoeff: 25, covCoeff: 1 }));
    expectClose(t.loss, 46.3908752653, 1e-4);
    expectClose(t.invariance, 1.5800622001, 1e-4);
    expectClose(t.variance, 0.1379284991, 1e-4);
    expectClose(t.covariance, 3.4411077847, 1e-4);
  });
  it('PyTorch value and gradients w.r.t. both views', () => {
    expectMatchesPytorch(
      pytorchCase('vicreg'),
      { z1: tensor(z1), z2: tensor(z2) },
      (a, b) => vicreg(a as Tensor2D, b as Tensor2D).loss,
    );
  });
  it('agrees with a loop over the formula, every term, other coefficients', () => {
    const [a, b] = [seededMatrix(9, 6, 1, 0.5), seededMatrix(9, 6, 2, 2)];
    const t = terms(() => vicreg(tensor(a), tensor(b), { simCoeff: 1, stdCoeff: 10, covCoeff: 0.5 }));
    const expected = vicregLoop(a, b, [1, 10, 0.5]);
    for (const key of ['loss', 'invariance', 'variance', 'covariance'] as const) expectClose(t[key], expected[key]);
  });
});

describe('vicreg: hand-derived cases', () => {
  it('identical views: invariance 0', () => {
    const z = tensor(seededMatrix(5, 4, 9));
    expect(terms(() => vicreg(z, z)).invariance).toBe(0);
    z.dispose();
  });
  it('collapse: variance term 2·½·(1 − √1e-4) = 0.99, covariance 0, loss 25·0.99', () => {
    const t = terms(() => vicreg(tf.ones([8, 6]) as Tensor2D, tf.ones([8, 6]) as Tensor2D));
    expectClose(t.variance, 1 - Math.sqrt(1e-4));
    expect(t.covariance).toBe(0);
    expectClose(t.loss, 25 * (1 - Math.sqrt(1e-4)));
  });
  it('decorrelated dimensions with unit-or-more variance: variance and covariance terms 0', () => {
    // ±2 patterns: mean 0, unbiased variance 16/3 > 1, columns orthogonal.
    const z = [
      [2, 2, 2],
      [2, -2, -2],
      [-2, 2, -2],
      [-2, -2, 2],
    ];
    const t = terms(() => vicreg(tensor(z), tensor(z)));
    expect(t.variance).toBe(0);
    expect(t.covariance).toBe(0);
  });
});

describe('vicreg gradients, stability, errors, leaks', () => {
  it('gradients w.r.t. both views agree with finite differences', () => {
    // Scale 0.3 keeps every std well below 1 (away from the relu's kink).
    expectGradientsMatchFiniteDifferences(
      (a, b) => vicreg(a, b).loss,
      [seededMatrix(4, 5, 11, 0.3), seededMatrix(4, 5, 12, 0.3)],
    );
  });
  it('zero vectors and batch 2: finite value and gradient', () => {
    expectFiniteGradientsOnItself(
      (a, b) => vicreg(a, b).loss,
      [
        zeroMatrix(4, 3),
        [
          [1, 2, 3],
          [3, 2, 1],
        ],
      ],
    );
  });
  it('errors name the input', () => {
    tf.tidy(() => {
      expect(() => vicreg(tf.zeros([1, 4]) as Tensor2D, tf.zeros([1, 4]) as Tensor2D)).toThrow(
        'vicreg: needs a batch of at least 2 (unbiased variance); z1 is [1,4]',
      );
      const bad = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, Number.NaN],
      ]) as Tensor2D;
      expect(() => vicreg(tf.ones([3, 2]) as Tensor2D, bad)).toThrow(
        'vicreg: z2 contains NaN at row 2, column 1; the loss is NaN',
      );
      expect(() => vicreg(bad, bad, { covCoeff: Number.NaN })).toThrow(
        'vicreg: covCoeff must be a finite number; got NaN',
      );
    });
  });
  it("leaks no tensors (the four returned scalars are the caller's), nor on the error path", async () => {
    const [a, b] = [tensor(seededMatrix(6, 4, 30)), tensor(seededMatrix(6, 4, 31))];
    const bad = tf.fill([6, 4], Number.NaN) as Tensor2D;
    await assertNoTensorLeak('vicreg', () => vicreg(a, b));
    await assertNoTensorLeak('vicreg gradient', () =>
      tf.grads((x: Tensor, y: Tensor) => vicreg(x as Tensor2D, y as Tensor2D).loss)([a, b]),
    );
    await assertNoTensorLeak('vicreg NaN', () => {
      expect(() => vicreg(a, bad)).toThrow(/NaN/);
    });
    tf.dispose([a, b, bad]);
  });
});
