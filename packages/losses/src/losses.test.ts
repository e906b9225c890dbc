import {
  assertNoTensorLeak,
  createRng,
  initBackend,
  type Scalar,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  tf,
} from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { barlowTwins } from './barlow-twins.js';
import { cosineSimilarityMatrix } from './cosine-similarity-matrix.js';
import { dino, updateCenter } from './dino.js';
import { infoNCE } from './info-nce.js';
import { l2Normalize } from './l2-normalize.js';
import {
  barlowTwinsLoop,
  dinoLoop,
  infoNceLoop,
  negativeCosineLoop,
  ntXentLoop,
  supConLoop,
  swavLoop,
  tripletMarginLoop,
  vicregLoop,
} from './loop-references.js';
import { negativeCosine, symmetricNegativeCosine } from './negative-cosine.js';
import { ntXent } from './nt-xent.js';
import { offDiagonal } from './off-diagonal.js';
import { supCon } from './sup-con.js';
import { sinkhornKnopp, swav } from './swav.js';
import { tripletMargin } from './triplet-margin.js';
import { vicreg } from './vicreg.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const matrix = (rows: number, cols: number, seed: number): number[][] => {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
};
const t2 = (m: number[][]) => tf.tensor2d(m);
const scalarOf = (make: () => Scalar) => tf.tidy(() => make().dataSync()[0] as number);
const closeTo = (actual: number, expected: number, relative = 2e-5) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));

describe('each loss agrees with a loop over its formula (other shapes than the PyTorch references)', () => {
  const z1 = matrix(6, 5, 1);
  const z2 = matrix(6, 5, 2);
  const z3 = matrix(6, 5, 3);
  it('ntXent, two and three views', () => {
    closeTo(
      scalarOf(() => ntXent(t2(z1), t2(z2), { temperature: 0.3 })),
      ntXentLoop([z1, z2], 0.3),
    );
    closeTo(
      scalarOf(() => ntXent([t2(z1), t2(z2), t2(z3)], { temperature: 0.2 })),
      ntXentLoop([z1, z2, z3], 0.2),
    );
  });
  it('supCon', () => {
    const labels = [0, 1, 1, 2, 0, 3];
    closeTo(
      scalarOf(() => supCon(t2(z1), tf.tensor1d(labels, 'int32') as Tensor1D, { temperature: 0.5 })),
      supConLoop(z1, labels, 0.5),
    );
  });
  it('infoNCE', () => {
    const negatives = matrix(9, 5, 4);
    closeTo(
      scalarOf(() => infoNCE(t2(z1), t2(z2), t2(negatives), { temperature: 0.2 })),
      infoNceLoop(z1, z2, negatives, 0.2),
    );
  });
  it('negativeCosine, both forms', () => {
    closeTo(
      scalarOf(() => negativeCosine(t2(z1), t2(z2))),
      negativeCosineLoop(z1, z2, 'simsiam'),
    );
    closeTo(
      scalarOf(() => negativeCosine(t2(z1), t2(z2), { form: 'byol' })),
      negativeCosineLoop(z1, z2, 'byol'),
    );
    closeTo(
      scalarOf(() => symmetricNegativeCosine(t2(z1), t2(z2), t2(z3), t2(z1))),
      0.5 * (negativeCosineLoop(z1, z1, 'simsiam') + negativeCosineLoop(z3, z2, 'simsiam')),
    );
  });
  it('barlowTwins and vicreg', () => {
    closeTo(
      scalarOf(() => barlowTwins(t2(z1), t2(z2), { lambda: 0.01 })),
      barlowTwinsLoop(z1, z2, 0.01),
    );
    const expected = vicregLoop(z1, z2);
    tf.tidy(() => {
      const terms = vicreg(t2(z1), t2(z2));
      closeTo(terms.loss.dataSync()[0] as number, expected.loss);
      closeTo(terms.covariance.dataSync()[0] as number, expected.covariance);
    });
  });
  it('swav (Sinkhorn-Knopp) and dino (multi-crop)', () => {
    const s1 = matrix(6, 4, 5).map((r) => r.map((x) => x * 0.3));
    const s2 = matrix(6, 4, 6).map((r) => r.map((x) => x * 0.3));
    closeTo(
      scalarOf(() => swav(t2(s1), t2(s2))),
      swavLoop(s1, s2, 0.1),
      1e-4,
    );
    const center = [0.1, -0.1, 0.05, 0, 0.2];
    const students = [z1, z2, z3];
    const teachers = [matrix(6, 5, 7), matrix(6, 5, 8)];
    closeTo(
      scalarOf(() =>
        dino(students.map(t2) as Tensor2D[], teachers.map(t2) as Tensor2D[], {
          center: tf.tensor1d(center) as Tensor1D,
          studentTemp: 0.1,
          teacherTemp: 0.05,
        }),
      ),
      dinoLoop(students, teachers, center, 0.1, 0.05),
      1e-4,
    );
  });
  it('tripletMargin', () => {
    closeTo(
      scalarOf(() => tripletMargin(t2(z1), t2(z2), t2(z3), { margin: 2 })),
      tripletMarginLoop(z1, z2, z3, 2),
    );
  });
});

describe('hand-derived cases', () => {
  it('ntXent of identical, orthonormal views is log(1 + (2N − 2)·e^(−1/τ))', () => {
    const eye = tf.eye(4) as Tensor2D;
    for (const temperature of [0.5, 0.1])
      closeTo(
        scalarOf(() => ntXent(eye, eye, { temperature })),
        Math.log(1 + 6 * Math.exp(-1 / temperature)),
      );
    eye.dispose();
  });
  it('identical views: negative cosine −1 (SimSiam) and 0 (BYOL), VICReg invariance 0, triplet 0 with far negatives', () => {
    const z = t2(matrix(5, 4, 9));
    closeTo(
      scalarOf(() => negativeCosine(z, z)),
      -1,
    );
    expect(Math.abs(scalarOf(() => negativeCosine(z, z, { form: 'byol' })))).toBeLessThan(1e-6);
    expect(scalarOf(() => vicreg(z, z).invariance)).toBe(0);
    expect(scalarOf(() => tripletMargin(z, z, tf.add(z, 10) as Tensor2D))).toBe(0);
    z.dispose();
  });
  it('Barlow Twins is 0 for identical views with orthogonal standardized dimensions', () => {
    // Columns ±1 patterns that are orthogonal and zero-mean: standardized they give c = I.
    const z = tf.tensor2d([
      [1, 1, 1],
      [1, -1, -1],
      [-1, 1, -1],
      [-1, -1, 1],
    ]);
    expect(scalarOf(() => barlowTwins(z, z))).toBeLessThan(1e-3);
    z.dispose();
  });
  it('collapse: Barlow Twins = D, VICReg variance term ≈ 1, orthogonal embeddings in SimCLR', () => {
    const collapsed = tf.ones([8, 6]) as Tensor2D;
    closeTo(
      scalarOf(() => barlowTwins(collapsed, collapsed)),
      6,
    );
    closeTo(
      scalarOf(() => vicreg(collapsed, collapsed).variance),
      1 - Math.sqrt(1e-4),
    );
    collapsed.dispose();
  });
  it('helpers: l2Normalize keeps zero rows at zero, cosine matrix of unit rows, off-diagonal order', () => {
    const x = tf.tensor2d([
      [3, 4],
      [0, 0],
    ]);
    expect(Array.from(l2Normalize(x).dataSync())).toEqual([0.6, 0.8, 0, 0].map(Math.fround));
    expect(
      Array.from(
        cosineSimilarityMatrix(
          tf.tensor2d([
            [1, 0],
            [0, 2],
          ]),
        ).dataSync(),
      ),
    ).toEqual([1, 0, 0, 1]);
    expect(
      Array.from(
        offDiagonal(
          tf.tensor2d([
            [1, 2, 3],
            [4, 5, 6],
            [7, 8, 9],
          ]),
        ).dataSync(),
      ),
    ).toEqual([2, 3, 4, 6, 7, 8]);
    x.dispose();
  });
  it('Sinkhorn codes: rows are distributions, prototypes share the batch equally', () => {
    const q = sinkhornKnopp(t2(matrix(8, 4, 10)), 50, 0.5);
    const rows = tf.sum(q, 1).dataSync();
    const cols = tf.sum(q, 0).dataSync();
    for (const r of rows) expect(r).toBeCloseTo(1, 4);
    for (const c of cols) expect(c).toBeCloseTo(2, 3);
    q.dispose();
  });
});

/** Central finite differences of a scalar function of one [N, D] input, compared with tf.grads. */
function expectGradientMatchesFiniteDifferences(
  loss: (x: Tensor2D) => Scalar,
  shape: [number, number],
  seed: number,
  step = 1e-2,
): void {
  const base = matrix(shape[0], shape[1], seed);
  const f = (m: number[][]) => scalarOf(() => loss(t2(m) as Tensor2D));
  const analytic = tf.tidy(() =>
    Array.from(
      tf
        .grad((x: Tensor) => loss(x as Tensor2D))(t2(base))
        .dataSync(),
    ),
  );
  const numeric: number[] = [];
  for (let i = 0; i < shape[0]; i++) {
    for (let j = 0; j < shape[1]; j++) {
      const plus = base.map((r) => [...r]);
      const minus = base.map((r) => [...r]);
      (plus[i] as number[])[j] = ((plus[i] as number[])[j] as number) + step;
      (minus[i] as number[])[j] = ((minus[i] as number[])[j] as number) - step;
      numeric.push((f(plus) - f(minus)) / (2 * step));
    }
  }
  const scale = Math.max(...numeric.map(Math.abs), 1e-3);
  const worst = Math.max(...numeric.map((n, k) => Math.abs(n - (analytic[k] as number)))) / scale;
  expect(worst).toBeLessThan(3e-2);
}

describe('gradients agree with finite differences', () => {
  const other = () => t2(matrix(4, 5, 20)) as Tensor2D;
  const cases: Array<[string, (x: Tensor2D) => Scalar]> = [
    ['ntXent', (x) => ntXent(x, other(), { temperature: 0.5 })],
    ['supCon', (x) => supCon(x, tf.tensor1d([0, 1, 0, 1], 'int32') as Tensor1D, { temperature: 0.5 })],
    ['infoNCE', (x) => infoNCE(x, other(), t2(matrix(6, 5, 21)) as Tensor2D, { temperature: 0.5 })],
    ['negativeCosine', (x) => negativeCosine(x, other())],
    ['barlowTwins', (x) => barlowTwins(x, other())],
    ['vicreg', (x) => vicreg(x, other()).loss],
    ['dino', (x) => dino(x, other(), { studentTemp: 0.5, teacherTemp: 0.5 })],
    ['tripletMargin', (x) => tripletMargin(x, other(), tf.mul(other(), -1) as Tensor2D, { margin: 5 })],
  ];
  for (const [name, loss] of cases) it(name, () => expectGradientMatchesFiniteDifferences(loss, [4, 5], 11));

  it('swav (the codes are constants: compared with the loss at fixed codes)', () => {
    const scores2 = tf.mul(other(), 0.2) as Tensor2D;
    const codes2 = sinkhornKnopp(scores2);
    // Only the prediction of view 1 from codes 2 depends on scores1 through a gradient.
    const atFixedCodes = (scores1: Tensor2D) =>
      tf.mul(tf.neg(tf.mean(tf.sum(tf.mul(codes2, tf.logSoftmax(tf.div(scores1, 0.5))), 1))), 0.5) as Scalar;
    const analytic = tf.tidy(() =>
      Array.from(
        tf
          .grad((x: Tensor) => swav(x as Tensor2D, scores2, { temperature: 0.5 }))(
            t2(matrix(4, 5, 11).map((r) => r.map((v) => v * 0.2))),
          )
          .dataSync(),
      ),
    );
    const reference = tf.tidy(() =>
      Array.from(
        tf
          .grad((x: Tensor) => atFixedCodes(x as Tensor2D))(t2(matrix(4, 5, 11).map((r) => r.map((v) => v * 0.2))))
          .dataSync(),
      ),
    );
    analytic.forEach((g, i) => {
      expect(g).toBeCloseTo(reference[i] as number, 5);
    });
    expectGradientMatchesFiniteDifferences(atFixedCodes, [4, 5], 11);
    tf.dispose([scores2, codes2]);
  });

  it('stop-gradient: no gradient reaches BYOL/SimSiam targets, MoCo keys, DINO teachers or SwAV codes', () => {
    tf.tidy(() => {
      const a = t2(matrix(4, 5, 30)) as Tensor2D;
      const b = t2(matrix(4, 5, 31)) as Tensor2D;
      const zero = (g: Tensor) => Math.max(...Array.from(tf.abs(g).dataSync())) === 0;
      expect(zero(tf.grad((z: Tensor) => negativeCosine(a, z as Tensor2D))(b))).toBe(true);
      expect(zero(tf.grad((k: Tensor) => infoNCE(a, k as Tensor2D, b))(b))).toBe(true);
      expect(zero(tf.grad((t: Tensor) => dino(a, t as Tensor2D))(b))).toBe(true);
      expect(zero(tf.grad((q: Tensor) => sinkhornKnopp(q as Tensor2D).sum())(b))).toBe(true);
    });
  });
});

describe('numerical stability and bad input', () => {
  it('stays finite for tiny temperatures, zero vectors, and batches from 2 to 4096', () => {
    const near = tf.tidy(() => tf.add(tf.ones([8, 16]), tf.mul(createRng(1).normalTensor([8, 16]), 1e-3))) as Tensor2D;
    const zeros = tf.zeros([8, 16]) as Tensor2D;
    for (const value of [
      scalarOf(() => ntXent(near, tf.neg(near) as Tensor2D, { temperature: 0.05 })),
      scalarOf(() => ntXent(zeros, zeros, { temperature: 0.05 })),
      scalarOf(() => supCon(zeros, tf.tensor1d([0, 0, 1, 1, 2, 2, 3, 3], 'int32') as Tensor1D, { temperature: 0.05 })),
      scalarOf(() => infoNCE(zeros, zeros, zeros, { temperature: 0.05 })),
      scalarOf(() => negativeCosine(zeros, zeros)),
      scalarOf(() => barlowTwins(zeros, zeros)),
      scalarOf(() => vicreg(zeros, zeros).loss),
      scalarOf(() => swav(zeros, zeros)),
      scalarOf(() => dino(zeros, zeros)),
      scalarOf(() => tripletMargin(zeros, zeros, zeros)),
    ]) {
      expect(Number.isFinite(value)).toBe(true);
    }
    const grad = tf.tidy(() =>
      Array.from(
        tf
          .grad((x: Tensor) => ntXent(x as Tensor2D, zeros, { temperature: 0.05 }))(zeros)
          .dataSync(),
      ),
    );
    expect(grad.every(Number.isFinite)).toBe(true);
    for (const batch of [2, 4096]) {
      const value = scalarOf(() =>
        ntXent(
          createRng(batch).normalTensor([batch, 128]) as Tensor2D,
          createRng(batch + 1).normalTensor([batch, 128]) as Tensor2D,
          { temperature: 0.1 },
        ),
      );
      expect(Number.isFinite(value)).toBe(true);
    }
    tf.dispose([near, zeros]);
  });

  it('names the input that holds NaN or Infinity', () => {
    const good = t2(matrix(4, 3, 40)) as Tensor2D;
    const bad = tf.tensor2d([
      [1, 2, 3],
      [4, Number.NaN, 6],
      [7, 8, 9],
      [1, 1, 1],
    ]);
    expect(() => ntXent(good, bad)).toThrow('ntXent: z2 contains NaN (first at row 1); the loss is NaN');
    expect(() => barlowTwins(bad, good)).toThrow(/barlowTwins: z1 contains NaN \(first at row 1\)/);
    expect(() => negativeCosine(good, tf.fill([4, 3], Number.POSITIVE_INFINITY) as Tensor2D)).toThrow(
      /negativeCosine: z contains Infinity/,
    );
    tf.dispose([good, bad]);
  });

  it('rejects wrong shapes, naming the arguments', () => {
    const a = tf.zeros([8, 16]) as Tensor2D;
    const b = tf.zeros([8, 15]) as Tensor2D;
    expect(() => ntXent(a, b)).toThrow('ntXent: z1 and z2 must have the same shape; got [8,16] and [8,15]');
    expect(() => ntXent([a])).toThrow('ntXent: needs at least two views; got 1');
    expect(() => infoNCE(a, a, b)).toThrow('infoNCE: negatives must be [K, 16]; got [8,15]');
    expect(() => barlowTwins(tf.zeros([1, 4]) as Tensor2D, tf.zeros([1, 4]) as Tensor2D)).toThrow(
      'barlowTwins: z1 needs a batch of at least 2; got 1',
    );
    expect(() => supCon(a, tf.tensor1d([0, 1], 'int32') as Tensor1D)).toThrow('supCon: labels must be [8]; got [2]');
    expect(() => supCon(t2(matrix(3, 2, 1)), tf.tensor1d([0, 1, 2], 'int32') as Tensor1D)).toThrow(
      /no anchor has a positive/,
    );
    expect(() => dino(a, a, { center: tf.zeros([3]) as Tensor1D })).toThrow('dino: center must be [16]; got [3]');
    tf.dispose([a, b]);
  });
});

describe('no tensor leaks', () => {
  it('every loss and helper frees its intermediates', async () => {
    const a = t2(matrix(6, 4, 50)) as Tensor2D;
    const b = t2(matrix(6, 4, 51)) as Tensor2D;
    const labels = tf.tensor1d([0, 0, 1, 1, 2, 2], 'int32') as Tensor1D;
    const center = tf.zeros([4]) as Tensor1D;
    const gram = tf.matMul(a, a, true, false) as Tensor2D;
    const checks: Array<[string, () => unknown]> = [
      ['ntXent', () => ntXent(a, b)],
      ['ntXent multi-view', () => ntXent([a, b, a])],
      ['supCon', () => supCon(a, labels)],
      ['infoNCE', () => infoNCE(a, b, b)],
      ['negativeCosine', () => negativeCosine(a, b)],
      ['symmetricNegativeCosine', () => symmetricNegativeCosine(a, b, b, a)],
      ['barlowTwins', () => barlowTwins(a, b)],
      ['vicreg', () => vicreg(a, b)],
      ['swav', () => swav(a, b)],
      ['dino', () => dino([a, b], [b], { center })],
      ['updateCenter', () => updateCenter(center, [a, b])],
      ['tripletMargin', () => tripletMargin(a, b, a)],
      ['l2Normalize', () => l2Normalize(a)],
      ['cosineSimilarityMatrix', () => cosineSimilarityMatrix(a, b)],
      ['offDiagonal', () => offDiagonal(gram)],
      ['ntXent gradient', () => tf.grads((x: Tensor, y: Tensor) => ntXent(x as Tensor2D, y as Tensor2D))([a, b])],
    ];
    for (const [name, run] of checks) await assertNoTensorLeak(name, run as () => tf.TensorContainer);
    tf.dispose([a, b, labels, center, gram]);
  });
});
