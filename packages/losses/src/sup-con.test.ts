import {
  assertNoTensorLeak,
  createRng,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  tf,
} from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { supCon } from './sup-con.js';
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

/** The L_out formula as a loop, float64. `views[v][i]` is view v of sample i. */
function supConLoop(views: Matrix[], labels: number[], temperature: number, baseTemperature = temperature): number {
  const unit = (v: number[]) => {
    const norm = Math.max(Math.hypot(...v), 1e-12);
    return v.map((x) => x / norm);
  };
  const z = views.flat().map(unit); // view-major
  const label = (row: number) => labels[row % labels.length] as number;
  const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * (b[k] as number), 0);
  let total = 0;
  let anchors = 0;
  for (let i = 0; i < z.length; i++) {
    const positives = z.map((_, p) => p).filter((p) => p !== i && label(p) === label(i));
    if (positives.length === 0) continue;
    let denominator = 0;
    for (let a = 0; a < z.length; a++)
      if (a !== i) denominator += Math.exp(dot(z[i] as number[], z[a] as number[]) / temperature);
    let sum = 0;
    for (const p of positives)
      sum += Math.log(Math.exp(dot(z[i] as number[], z[p] as number[]) / temperature) / denominator);
    total -= sum / positives.length;
    anchors++;
  }
  return ((temperature / baseTemperature) * total) / anchors;
}

const stacked = (views: Matrix[]) => tf.stack(views.map(tensor), 1) as Tensor3D;

describe('supCon matches the official SupConLoss in PyTorch', () => {
  const { z1, z2 } = pytorchReferences().inputs;
  it('two views [N, 2, D], τ = 0.07', () => {
    const c = pytorchCase('supCon');
    expectMatchesPytorch(c, { features: stacked([z1, z2]) }, (f) =>
      supCon(f as Tensor3D, c.options.labels as number[], { temperature: 0.07 }),
    );
  });
  it('one view [N, D], τ = 0.1', () => {
    const c = pytorchCase('supConSingleView');
    expectMatchesPytorch(c, { features: tensor(z1) }, (f) =>
      supCon(f as Tensor2D, c.options.labels as number[], { temperature: 0.1 }),
    );
  });
});

describe('supCon agrees with a loop over the formula', () => {
  const a = seededMatrix(6, 5, 1);
  const b = seededMatrix(6, 5, 2);
  const c = seededMatrix(6, 5, 3);
  it('one view; anchors without a positive (labels 2 and 3 here) are left out of the mean', () => {
    const labels = [0, 1, 1, 2, 0, 3];
    expectClose(
      scalarValue(() => supCon(tensor(a), labels, { temperature: 0.5 })),
      supConLoop([a], labels, 0.5),
    );
    expectClose(
      scalarValue(() => supCon(tensor(a), tf.tensor1d(labels, 'int32') as Tensor1D, { temperature: 0.5 })),
      supConLoop([a], labels, 0.5),
    );
  });
  it("two and three views; float32 labels; the official code's τ/base factor", () => {
    const labels = [0, 1, 1, 2, 0, 3];
    expectClose(
      scalarValue(() => supCon(stacked([a, b]), labels, { temperature: 0.2 })),
      supConLoop([a, b], labels, 0.2),
    );
    expectClose(
      scalarValue(() => supCon(stacked([a, b, c]), tf.tensor1d(labels) as Tensor1D, { temperature: 0.1 })),
      supConLoop([a, b, c], labels, 0.1),
    );
    expectClose(
      scalarValue(() => supCon(stacked([a, b]), labels, { temperature: 0.1, baseTemperature: 0.07 })),
      supConLoop([a, b], labels, 0.1, 0.07),
    );
  });
});

describe('supCon: hand-derived cases', () => {
  it('collapse: every embedding equal gives log(M − 1) whatever the labels', () => {
    const same = Array.from({ length: 4 }, () => [1, 2, 3]);
    expectClose(
      scalarValue(() => supCon(stacked([same, same]), [0, 0, 1, 2], { temperature: 0.1 })),
      Math.log(7),
    );
  });
  it('orthonormal classes: one label per axis, two samples each', () => {
    // Samples 0,1 = e0 and samples 2,3 = e1 (labels 0,0,1,1): each anchor's positive has logit
    // 1/τ, the two others 0: ℓ = log(e^(1/τ) + 2) − 1/τ.
    const features = [
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
    ];
    const temperature = 0.25;
    expectClose(
      scalarValue(() => supCon(tensor(features), [0, 0, 1, 1], { temperature })),
      Math.log(Math.exp(1 / temperature) + 2) - 1 / temperature,
    );
  });
});

describe('supCon gradients agree with finite differences', () => {
  it('one view', () => {
    expectGradientsMatchFiniteDifferences(
      (x) => supCon(x, [0, 1, 0, 1], { temperature: 0.5 }),
      [seededMatrix(4, 5, 11)],
    );
  });
  it('two views', () => {
    expectGradientsMatchFiniteDifferences(
      (x, y) => supCon(tf.stack([x, y], 1) as Tensor3D, [0, 1, 0], { temperature: 0.3 }),
      [seededMatrix(3, 4, 12), seededMatrix(3, 4, 13)],
    );
  });
});

describe('supCon is numerically stable', () => {
  it('zero vectors and τ = 0.05 with nearly identical / opposite views stay finite, gradients too', () => {
    tf.tidy(() => {
      const zeros = tf.zeros([8, 16]) as Tensor2D;
      const near = tf.add(tf.ones([8, 16]), tf.mul(createRng(1).normalTensor([8, 16]), 1e-3)) as Tensor2D;
      const labels = [0, 0, 1, 1, 2, 2, 3, 3];
      for (const [x, y] of [
        [zeros, zeros],
        [near, near],
        [near, tf.neg(near) as Tensor2D],
      ] as const) {
        const f = (u: Tensor) => supCon(tf.stack([u, y], 1) as Tensor3D, labels, { temperature: 0.05 });
        expect(Number.isFinite(f(x).dataSync()[0])).toBe(true);
        expect(Array.from(tf.grad(f)(x).dataSync()).every(Number.isFinite)).toBe(true);
      }
    });
  });
  it('batch 2', () => {
    const [a, b] = [seededMatrix(2, 3, 14), seededMatrix(2, 3, 15)];
    expectClose(
      scalarValue(() => supCon(stacked([a, b]), [0, 1], { temperature: 0.1 })),
      supConLoop([a, b], [0, 1], 0.1),
    );
  });
});

describe('supCon rejects bad input with errors naming it', () => {
  it('shapes, labels, temperature', () => {
    tf.tidy(() => {
      const features = tf.zeros([8, 16]) as Tensor2D;
      expect(() => supCon(features, [0, 1])).toThrow('supCon: labels must be [8] (one per sample); got [2]');
      expect(() => supCon(features, tf.zeros([8, 1]) as unknown as Tensor1D)).toThrow(
        'supCon: labels must be [8] (one per sample); got [8,1]',
      );
      expect(() => supCon(features, [0, 1, 2, 3, 4, 5, 6, 0.5])).toThrow(
        'supCon: labels must be integers; labels[7] is 0.5',
      );
      expect(() => supCon(tf.zeros([8]) as unknown as Tensor2D, [0])).toThrow(
        'supCon: features must be [N, D] or [N, views, D]; got [8]',
      );
      expect(() => supCon(tf.zeros([1, 2, 4]) as Tensor3D, [0])).toThrow(
        'supCon: needs a batch of at least 2 samples; features is [1,2,4]',
      );
      expect(() => supCon(features, [0, 0, 1, 1, 2, 2, 3, 3], { temperature: -1 })).toThrow(
        /temperature must be a finite number above 0/,
      );
    });
  });
  it('no anchor with a positive, and NaN features, are named', () => {
    tf.tidy(() => {
      expect(() => supCon(tensor(seededMatrix(3, 2, 1)), [0, 1, 2])).toThrow(
        'supCon: the loss is NaN although features is finite; no anchor has a positive: every label occurs once and there is one view',
      );
      const bad = tf.tensor3d([[[1, 2]], [[3, Number.NaN]]]);
      expect(() => supCon(bad, [0, 0])).toThrow(
        'supCon: features contains NaN at row 1 (element 1 of the row); the loss is NaN',
      );
    });
  });
});

describe('supCon leaks no tensors', () => {
  it('forward (array and tensor labels), gradient, and a throwing call', async () => {
    const features = stacked([seededMatrix(6, 4, 30), seededMatrix(6, 4, 31)]);
    const labels = tf.tensor1d([0, 0, 1, 1, 2, 2], 'int32') as Tensor1D;
    await assertNoTensorLeak('supCon', () => supCon(features, [0, 0, 1, 1, 2, 2]));
    await assertNoTensorLeak('supCon tensor labels', () => supCon(features, labels));
    await assertNoTensorLeak('supCon gradient', () => tf.grad((f: Tensor) => supCon(f as Tensor3D, labels))(features));
    const single = tensor(seededMatrix(3, 2, 1));
    await assertNoTensorLeak('supCon without positives', () => {
      expect(() => supCon(single, [0, 1, 2])).toThrow(/no anchor has a positive/);
    });
    tf.dispose([features, labels, single]);
  });
});
