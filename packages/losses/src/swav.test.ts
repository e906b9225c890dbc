import { assertNoTensorLeak, type Scalar, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { l2Normalize } from './l2-normalize.js';
import { sinkhornKnopp } from './sinkhorn-knopp.js';
import { swav } from './swav.js';
import { expectFiniteGradientsOnItself, expectGradientsMatchFiniteDifferences, zeroMatrix } from './test-gradients.js';
import {
  expectClose,
  expectMatchesPytorch,
  type Matrix,
  pytorchCase,
  pytorchReferences,
  relativeError,
  scalarValue,
  seededMatrix,
  tensor,
  useWasm,
} from './test-inputs.js';
import { sinkhornLoop } from './test-sinkhorn.js';

beforeAll(useWasm);

function swavLoop(views: Matrix[], temperature: number, assignments = 2, iterations = 3, epsilon = 0.05): number {
  const crossEntropy = (q: Matrix, s: Matrix) => {
    let total = 0;
    s.forEach((row, n) => {
      const logits = row.map((x) => x / temperature);
      const max = Math.max(...logits);
      const lse = max + Math.log(logits.reduce((acc, x) => acc + Math.exp(x - max), 0));
      total -= logits.reduce((acc, x, k) => acc + ((q[n] as number[])[k] as number) * (x - lse), 0);
    });
    return total / s.length;
  };
  let loss = 0;
  for (let a = 0; a < Math.min(assignments, views.length); a++) {
    const q = sinkhornLoop(views[a] as Matrix, iterations, epsilon);
    let sub = 0;
    views.forEach((s, v) => {
      if (v !== a) sub += crossEntropy(q, s);
    });
    loss += sub / (views.length - 1);
  }
  return loss / Math.min(assignments, views.length);
}

/** Prototype scores as SwAV computes them: normalized embeddings times normalized prototypes. */
function scoresOf(z: Matrix): Tensor2D {
  return tf.tidy(() => tf.matMul(l2Normalize(tensor(z)), tensor(pytorchReferences().inputs.prototypes)) as Tensor2D);
}

describe('swav matches the official SwAV loss in PyTorch', () => {
  const { z1, z2 } = pytorchReferences().inputs;
  it('two views: value and gradients (the codes carry none)', () => {
    expectMatchesPytorch(pytorchCase('swav'), { scores1: scoresOf(z1), scores2: scoresOf(z2) }, (a, b) =>
      swav(a as Tensor2D, b as Tensor2D),
    );
  });
  it('multi-crop: three views, codes from the first two', () => {
    const s1 = scoresOf(z1);
    expectMatchesPytorch(pytorchCase('swavMultiCrop'), { v0: s1, v1: scoresOf(z2), v2: tf.reverse(s1, 0) }, (a, b, c) =>
      swav([a, b, c] as Tensor2D[], { assignmentViews: 2 }),
    );
  });
});

describe('swav agrees with a loop over the official algorithm', () => {
  const [a, b, c] = [seededMatrix(8, 5, 1, 0.3), seededMatrix(8, 5, 2, 0.3), seededMatrix(8, 5, 3, 0.3)];
  it('the loss, two views and multi-crop with one or two assignment views', () => {
    expectClose(
      scalarValue(() => swav(tensor(a), tensor(b), { temperature: 0.2 })),
      swavLoop([a, b], 0.2),
    );
    expectClose(
      scalarValue(() => swav([tensor(a), tensor(b), tensor(c)], { temperature: 0.1 })),
      swavLoop([a, b, c], 0.1),
    );
    expectClose(
      scalarValue(() =>
        swav([tensor(a), tensor(b), tensor(c)], { assignmentViews: 1, sinkhornIterations: 5, epsilon: 0.1 }),
      ),
      swavLoop([a, b, c], 0.1, 1, 5, 0.1),
    );
  });
});

describe('swav: hand-derived cases', () => {
  it('uniform scores (e.g. collapsed embeddings): loss log K', () => {
    tf.tidy(() => {
      const flat = tf.fill([6, 5], 0.3) as Tensor2D;
      expectClose(swav(flat, flat).dataSync()[0] as number, Math.log(5));
    });
  });
  it('identical views with confident, balanced scores: the loss falls to ≈ 0 as τ shrinks', () => {
    // Sample i scores 1 on prototype i mod K, −1 elsewhere: codes ≈ one-hot, predictions too.
    const scores = Array.from({ length: 8 }, (_, i) => Array.from({ length: 4 }, (_, k) => (k === i % 4 ? 1 : -1)));
    expect(scalarValue(() => swav(tensor(scores), tensor(scores), { temperature: 0.05 }))).toBeLessThan(1e-6);
  });
  it('scores of any scale give a finite loss (the log-domain Sinkhorn cannot overflow)', () => {
    tf.tidy(() => {
      const huge = tensor(seededMatrix(6, 4, 11, 1000));
      expect(Number.isFinite(swav(huge, tf.neg(huge) as Tensor2D).dataSync()[0])).toBe(true);
    });
  });
});

describe('swav gradients', () => {
  const [a, b] = [seededMatrix(4, 5, 11, 0.2), seededMatrix(4, 5, 12, 0.2)];
  /** The swapped prediction with the codes of the base point held fixed (what autodiff should see). */
  const atFixedCodes = (codes1: Tensor2D, codes2: Tensor2D) => (s1: Tensor2D, s2: Tensor2D) => {
    const ce = (q: Tensor2D, s: Tensor2D) => tf.neg(tf.mean(tf.sum(tf.mul(q, tf.logSoftmax(tf.div(s, 0.5))), 1)));
    return tf.mul(tf.add(ce(codes1, s2), ce(codes2, s1)), 0.5) as Scalar;
  };
  it("no gradient flows into the assignment: swav's gradient is that of the loss at fixed codes", () => {
    tf.tidy(() => {
      const [s1, s2] = [tensor(a), tensor(b)];
      const fixed = atFixedCodes(sinkhornKnopp(s1), sinkhornKnopp(s2));
      const ours = tf.grads((x: Tensor, y: Tensor) => swav(x as Tensor2D, y as Tensor2D, { temperature: 0.5 }))([
        s1,
        s2,
      ]);
      const expected = tf.grads((x: Tensor, y: Tensor) => fixed(x as Tensor2D, y as Tensor2D))([s1, s2]);
      ours.forEach((g, i) => {
        expect(relativeError(g.dataSync(), (expected[i] as Tensor).dataSync())).toBeLessThan(1e-5);
      });
    });
  });
  it('which agrees with finite differences', () => {
    const codes = tf.tidy(() => [sinkhornKnopp(tensor(a)), sinkhornKnopp(tensor(b))]);
    expectGradientsMatchFiniteDifferences(atFixedCodes(codes[0] as Tensor2D, codes[1] as Tensor2D), [a, b]);
    tf.dispose(codes);
  });
});

describe('swav: stability, errors, leaks', () => {
  it('zero scores and batch 2: finite value and gradient', () => {
    expectFiniteGradientsOnItself(swav, [
      zeroMatrix(4, 3),
      [
        [0.1, 0.9, -0.5],
        [0.7, -0.2, 0.3],
      ],
    ]);
  });
  it('errors name the input', () => {
    tf.tidy(() => {
      const s = tf.zeros([4, 3]) as Tensor2D;
      expect(() => swav(s, tf.zeros([4, 2]) as Tensor2D)).toThrow(
        'swav: scores1 and scores2 must both be [batch, dim]; got [4,3] and [4,2]',
      );
      expect(() => swav([s])).toThrow('swav: needs at least two views; got 1');
      expect(() => swav(s, s, { temperature: 0 })).toThrow(/temperature must be a finite number above 0/);
      expect(() => swav(s, s, { epsilon: -1 })).toThrow(
        'sinkhornKnopp: epsilon must be a finite number above 0; got -1',
      );
      expect(() => swav([s, s], { assignmentViews: 0 })).toThrow(
        'swav: assignmentViews must be a positive integer; got 0',
      );
      const bad = tf.tensor2d([
        [0, 0, 0],
        [0, Number.NaN, 0],
        [0, 0, 0],
        [0, 0, 0],
      ]) as Tensor2D;
      expect(() => swav([s, s, bad])).toThrow('swav: views[2] contains NaN at row 1, column 1; the loss is NaN');
    });
  });
  it('leaks no tensors', async () => {
    const [a, b] = [tensor(seededMatrix(6, 4, 30, 0.3)), tensor(seededMatrix(6, 4, 31, 0.3))];
    await assertNoTensorLeak('swav', () => swav(a, b));
    await assertNoTensorLeak('swav multi-crop', () => swav([a, b, a, b], { assignmentViews: 2 }));
    await assertNoTensorLeak('swav gradient', () =>
      tf.grads((x: Tensor, y: Tensor) => swav(x as Tensor2D, y as Tensor2D))([a, b]),
    );
    tf.dispose([a, b]);
  });
});
