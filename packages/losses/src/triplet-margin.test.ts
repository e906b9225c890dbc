import { assertNoTensorLeak, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
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
import { tripletMargin } from './triplet-margin.js';

beforeAll(useWasm);

function tripletMarginLoop(anchor: Matrix, positive: Matrix, negative: Matrix, margin: number): number {
  const distance = (a: number[], b: number[]) =>
    Math.sqrt(a.reduce((s, x, i) => s + (x - (b[i] as number) + 1e-6) ** 2, 0));
  return (
    anchor.reduce(
      (s, a, i) =>
        s + Math.max(0, distance(a, positive[i] as number[]) - distance(a, negative[i] as number[]) + margin),
      0,
    ) / anchor.length
  );
}

describe('tripletMargin matches PyTorch and a loop', () => {
  it('F.triplet_margin_loss (margin 1): value and gradients of all three inputs', () => {
    const { z1, z2 } = pytorchReferences().inputs;
    const a = tensor(z1);
    expectMatchesPytorch(
      pytorchCase('tripletMargin'),
      { anchor: a, positive: tensor(z2), negative: tf.mul(tf.reverse(a, 0), 0.5) },
      (x, y, z) => tripletMargin(x as Tensor2D, y as Tensor2D, z as Tensor2D),
    );
  });
  it('loop, several margins (some triplets inside the margin, some outside)', () => {
    const [a, p, n] = [seededMatrix(8, 5, 1), seededMatrix(8, 5, 2), seededMatrix(8, 5, 3)];
    for (const margin of [0, 0.5, 2])
      expectClose(
        scalarValue(() => tripletMargin(tensor(a), tensor(p), tensor(n), { margin })),
        tripletMarginLoop(a, p, n, margin),
      );
  });
});

describe('tripletMargin: hand-derived cases', () => {
  it('positive = anchor and a far negative: 0; all three equal: the margin', () => {
    const a = seededMatrix(4, 3, 4);
    expect(scalarValue(() => tripletMargin(tensor(a), tensor(a), tf.add(tensor(a), 10) as Tensor2D))).toBe(0);
    expectClose(
      scalarValue(() => tripletMargin(tensor(a), tensor(a), tensor(a), { margin: 0.3 })),
      0.3,
    );
  });
});

describe('tripletMargin gradients, stability, errors, leaks', () => {
  it('agree with finite differences where the hinge is active, and vanish where it is not', () => {
    expectGradientsMatchFiniteDifferences(
      (a, p, n) => tripletMargin(a, p, n, { margin: 5 }),
      [seededMatrix(4, 5, 11), seededMatrix(4, 5, 12), seededMatrix(4, 5, 13)],
    );
    tf.tidy(() => {
      const a = tensor(seededMatrix(4, 5, 14));
      const g = tf.grad((x: Tensor) => tripletMargin(x as Tensor2D, a, tf.add(a, 10) as Tensor2D))(a);
      expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
    });
  });
  it('coinciding embeddings (zero distance) give a finite gradient', () => {
    tf.tidy(() => {
      const zeros = tf.zeros([3, 4]) as Tensor2D;
      const grads = tf.grads((a: Tensor, p: Tensor, n: Tensor) =>
        tripletMargin(a as Tensor2D, p as Tensor2D, n as Tensor2D),
      )([zeros, zeros, zeros]);
      for (const g of grads) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    });
  });
  it('errors name the input', () => {
    tf.tidy(() => {
      const a = tf.zeros([4, 3]) as Tensor2D;
      expect(() => tripletMargin(a, a, tf.zeros([3, 3]) as Tensor2D)).toThrow(
        'tripletMargin: anchor, positive and negative must all be [batch, dim]; got [4,3], [4,3] and [3,3]',
      );
      expect(() => tripletMargin(a, a, a, { margin: Number.NaN })).toThrow(
        'tripletMargin: margin must be a finite number; got NaN',
      );
      expect(() => tripletMargin(a, tf.fill([4, 3], Number.NaN) as Tensor2D, a)).toThrow(
        'tripletMargin: positive contains NaN at row 0, column 0',
      );
    });
  });
  it('leaks no tensors', async () => {
    const [a, p] = [tensor(seededMatrix(6, 4, 30)), tensor(seededMatrix(6, 4, 31))];
    await assertNoTensorLeak('tripletMargin', () => tripletMargin(a, p, a));
    await assertNoTensorLeak('tripletMargin gradient', () =>
      tf.grads((x: Tensor, y: Tensor) => tripletMargin(x as Tensor2D, y as Tensor2D, a))([a, p]),
    );
    tf.dispose([a, p]);
  });
});
