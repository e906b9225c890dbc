import { assertNoTensorLeak, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { negativeCosine } from './negative-cosine.js';
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
import { negativeCosineLoop } from './test-negative-cosine.js';

beforeAll(useWasm);

const { z1, z2 } = pytorchReferences().inputs;

describe('negativeCosine matches the references', () => {
  it('scripts/make-pytorch-references.py (float64 PyTorch on the golden inputs): SimSiam −0.1018992145, BYOL 1.7962015710', () => {
    expectClose(
      scalarValue(() => negativeCosine(tensor(z1), tensor(z2))),
      -0.1018992145,
      1e-4,
    );
    expectClose(
      scalarValue(() => negativeCosine(tensor(z1), tensor(z2), { form: 'byol' })),
      1.796201571,
      1e-4,
    );
  });
  it('PyTorch values and gradients; exactly zero gradient into z (stop-gradient)', () => {
    const inputs = () => ({ p: tensor(z1), z: tensor(z2) });
    expectMatchesPytorch(pytorchCase('negativeCosineSimsiam'), inputs(), (p, z) =>
      negativeCosine(p as Tensor2D, z as Tensor2D),
    );
    expectMatchesPytorch(pytorchCase('negativeCosineByol'), inputs(), (p, z) =>
      negativeCosine(p as Tensor2D, z as Tensor2D, { form: 'byol' }),
    );
  });
  it('agrees with a loop over the formula', () => {
    const [p, z] = [seededMatrix(7, 5, 1), seededMatrix(7, 5, 2)];
    for (const form of ['simsiam', 'byol'] as const) {
      expectClose(
        scalarValue(() => negativeCosine(tensor(p), tensor(z), { form })),
        negativeCosineLoop(p, z, form),
      );
    }
  });
});

describe('negativeCosine: hand-derived cases', () => {
  it('identical: −1 / 0; orthogonal: 0 / 2; opposite: 1 / 4; zero vectors: 0 / 2', () => {
    const p = [
      [1, 0],
      [0, 3],
    ];
    const orthogonal = [
      [0, 2],
      [-1, 0],
    ];
    const cases: Array<[Matrix, number, number]> = [
      [p, -1, 0],
      [orthogonal, 0, 2],
      [p.map((r) => r.map((x) => -x)), 1, 4],
      [
        [
          [0, 0],
          [0, 0],
        ],
        0,
        2,
      ],
    ];
    for (const [z, simsiam, byol] of cases) {
      expectClose(
        scalarValue(() => negativeCosine(tensor(p), tensor(z))),
        simsiam,
      );
      expectClose(
        scalarValue(() => negativeCosine(tensor(p), tensor(z), { form: 'byol' })),
        byol,
      );
    }
  });
});

describe('negativeCosine gradients, stability, errors, leaks', () => {
  it('gradient w.r.t. p agrees with finite differences, w.r.t. z is exactly zero', () => {
    const z = tensor(seededMatrix(4, 5, 12));
    expectGradientsMatchFiniteDifferences((p) => negativeCosine(p, z), [seededMatrix(4, 5, 11)]);
    expectGradientsMatchFiniteDifferences((p) => negativeCosine(p, z, { form: 'byol' }), [seededMatrix(4, 5, 13)]);
    tf.tidy(() => {
      const g = tf.grad((x: Tensor) => negativeCosine(tensor(seededMatrix(4, 5, 14)), x as Tensor2D))(z);
      expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
    });
    z.dispose();
  });
  it('zero vectors give a finite gradient; batch 1 works (no negatives needed)', () => {
    tf.tidy(() => {
      const zeros = tf.zeros([3, 4]) as Tensor2D;
      expect(
        Array.from(
          tf
            .grad((x: Tensor) => negativeCosine(x as Tensor2D, zeros))(zeros)
            .dataSync(),
        ).every(Number.isFinite),
      ).toBe(true);
      expect(negativeCosine(tf.ones([1, 4]) as Tensor2D, tf.ones([1, 4]) as Tensor2D).dataSync()[0]).toBeCloseTo(-1, 6);
    });
  });
  it('errors name the input', () => {
    tf.tidy(() => {
      const good = tf.ones([4, 3]) as Tensor2D;
      expect(() => negativeCosine(good, tf.zeros([4, 2]) as Tensor2D)).toThrow(
        'negativeCosine: p and z must both be [batch, dim]; got [4,3] and [4,2]',
      );
      expect(() => negativeCosine(good, tf.fill([4, 3], Number.POSITIVE_INFINITY) as Tensor2D)).toThrow(
        'negativeCosine: z contains Infinity at row 0, column 0; the loss is NaN',
      );
      expect(() => negativeCosine(good, good, { form: 'other' as 'byol' })).toThrow(
        "negativeCosine: form must be 'simsiam' or 'byol'; got other",
      );
    });
  });
  it('leaks no tensors', async () => {
    const [a, b] = [tensor(seededMatrix(6, 4, 30)), tensor(seededMatrix(6, 4, 31))];
    await assertNoTensorLeak('negativeCosine', () => negativeCosine(a, b));
    await assertNoTensorLeak('negativeCosine gradient', () =>
      tf.grads((x: Tensor, y: Tensor) => negativeCosine(x as Tensor2D, y as Tensor2D))([a, b]),
    );
    tf.dispose([a, b]);
  });
});
