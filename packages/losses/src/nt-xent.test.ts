import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertNoTensorLeak, createRng, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { ntXent } from './nt-xent.js';
import { supCon } from './sup-con.js';
import { expectFiniteGradientsOnItself, expectGradientsMatchFiniteDifferences, zeroMatrix } from './test-gradients.js';
import { expectClose, type Matrix, readFixture, scalarValue, seededMatrix, tensor, useWasm } from './test-inputs.js';

beforeAll(useWasm);

interface NtXentGolden {
  source: string;
  formula: string;
  inputs: { generator: string; dtype: string; shape: number[]; z1: Matrix; z2: Matrix };
  cases: Array<{ temperature: number; loss_f64: number; loss_f32: number; grad_z1_f64: Matrix; grad_z2_f64: Matrix }>;
}

const golden = readFixture<NtXentGolden>('ntxent-golden.json');
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The formula as a loop, float64: every embedding an anchor, positives = other views of its sample. */
function ntXentLoop(views: Matrix[], temperature: number): number {
  const n = (views[0] as Matrix).length;
  const unit = (v: number[]) => {
    const norm = Math.max(Math.hypot(...v), 1e-12);
    return v.map((x) => x / norm);
  };
  const z = views.flat().map(unit);
  const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * (b[k] as number), 0);
  let total = 0;
  for (let i = 0; i < z.length; i++) {
    let denominator = 0;
    for (let k = 0; k < z.length; k++)
      if (k !== i) denominator += Math.exp(dot(z[i] as number[], z[k] as number[]) / temperature);
    let sum = 0;
    let positives = 0;
    for (let p = 0; p < z.length; p++) {
      if (p === i || p % n !== i % n) continue;
      sum += Math.log(Math.exp(dot(z[i] as number[], z[p] as number[]) / temperature) / denominator);
      positives++;
    }
    total -= sum / positives;
  }
  return total / z.length;
}

describe('ntXent matches the PyTorch golden values (scripts/make-ntxent-golden.py)', () => {
  for (const c of golden.cases) {
    it(`T=${c.temperature}: loss and gradients w.r.t. z1 and z2 within 1e-5`, () => {
      tf.tidy(() => {
        const z1 = tensor(golden.inputs.z1);
        const z2 = tensor(golden.inputs.z2);
        const loss = ntXent(z1, z2, { temperature: c.temperature }).dataSync()[0] as number;
        expect(Math.abs(loss - c.loss_f64)).toBeLessThan(1e-5);
        const [g1, g2] = tf.grads((a: Tensor, b: Tensor) =>
          ntXent(a as Tensor2D, b as Tensor2D, { temperature: c.temperature }),
        )([z1, z2]);
        const worst = (g: Tensor, expected: Matrix) =>
          Math.max(...Array.from(g.dataSync(), (v, k) => Math.abs(v - (expected.flat()[k] as number))));
        expect(worst(g1 as Tensor, c.grad_z1_f64)).toBeLessThan(1e-5);
        expect(worst(g2 as Tensor, c.grad_z2_f64)).toBeLessThan(1e-5);
      });
    });
  }

  it('the fixture names the script in this package that regenerates it', () => {
    const script = golden.source.split(' ')[0] as string;
    expect(script).toBe('packages/losses/scripts/make-ntxent-golden.py');
    expect(existsSync(resolve(repositoryRoot, script))).toBe(true);
  });

  it('the float64 reference and the loop over the formula agree (fixture sanity)', () => {
    for (const c of golden.cases)
      expectClose(ntXentLoop([golden.inputs.z1, golden.inputs.z2], c.temperature), c.loss_f64, 1e-12);
  });
});

describe('ntXent agrees with a loop over the formula', () => {
  const views = [seededMatrix(6, 5, 1), seededMatrix(6, 5, 2), seededMatrix(6, 5, 3), seededMatrix(6, 5, 4)];
  it('two views, several temperatures and batch sizes', () => {
    for (const temperature of [1, 0.3, 0.07]) {
      expectClose(
        scalarValue(() => ntXent(tensor(views[0] as Matrix), tensor(views[1] as Matrix), { temperature })),
        ntXentLoop(views.slice(0, 2), temperature),
      );
    }
    const big = [seededMatrix(40, 12, 5), seededMatrix(40, 12, 6)];
    expectClose(
      scalarValue(() => ntXent(tensor(big[0] as Matrix), tensor(big[1] as Matrix), { temperature: 0.2 })),
      ntXentLoop(big, 0.2),
    );
  });
  it('three and four views (positives: every other view of the sample)', () => {
    for (const count of [3, 4]) {
      expectClose(
        scalarValue(() => ntXent(views.slice(0, count).map(tensor), { temperature: 0.4 })),
        ntXentLoop(views.slice(0, count), 0.4),
      );
    }
  });
  it('the two-tensor and list forms agree, and equal SupCon with labels = sample index', () => {
    const [a, b, c] = views as [Matrix, Matrix, Matrix];
    const pair = scalarValue(() => ntXent(tensor(a), tensor(b), { temperature: 0.5 }));
    expect(scalarValue(() => ntXent([tensor(a), tensor(b)], { temperature: 0.5 }))).toBe(pair);
    const index = [0, 1, 2, 3, 4, 5];
    expectClose(
      scalarValue(() =>
        supCon(tf.stack([tensor(a), tensor(b), tensor(c)], 1) as tf.Tensor3D, index, { temperature: 0.5 }),
      ),
      scalarValue(() => ntXent([tensor(a), tensor(b), tensor(c)], { temperature: 0.5 })),
    );
  });
});

describe('ntXent: hand-derived cases', () => {
  const eye = (n: number): Matrix =>
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  it('identical orthonormal views: log(1 + (2N − 2)·e^(−1/τ))', () => {
    for (const temperature of [0.5, 0.1, 0.05]) {
      expectClose(
        scalarValue(() => ntXent(tensor(eye(4)), tensor(eye(4)), { temperature })),
        Math.log(1 + 6 * Math.exp(-1 / temperature)),
      );
    }
  });
  it('opposite orthonormal views: log(1 + (2N − 2)·e^(1/τ)), finite at τ = 0.05', () => {
    const minus = eye(4).map((r) => r.map((x) => -x));
    for (const temperature of [0.5, 0.05]) {
      expectClose(
        scalarValue(() => ntXent(tensor(eye(4)), tensor(minus), { temperature })),
        Math.log(1 + 6 * Math.exp(1 / temperature)),
      );
    }
  });
  it('V identical orthonormal views: log((V − 1)·e^(1/τ) + (N − 1)·V) − 1/τ', () => {
    const temperature = 0.2;
    const expected = Math.log(2 * Math.exp(1 / temperature) + 3 * 3) - 1 / temperature;
    expectClose(
      scalarValue(() => ntXent([tensor(eye(4)), tensor(eye(4)), tensor(eye(4))], { temperature })),
      expected,
    );
  });
  it('collapse (all embeddings equal) and zero vectors: log(2N − 1)', () => {
    const same = Array.from({ length: 5 }, () => [0.3, -1, 2]);
    const zeros = Array.from({ length: 5 }, () => [0, 0, 0]);
    expectClose(
      scalarValue(() => ntXent(tensor(same), tensor(same), { temperature: 0.1 })),
      Math.log(9),
    );
    expectClose(
      scalarValue(() => ntXent(tensor(zeros), tensor(zeros), { temperature: 0.05 })),
      Math.log(9),
    );
  });
  it('is invariant to the scale of the embeddings (cosine similarity)', () => {
    const [a, b] = [seededMatrix(5, 4, 7), seededMatrix(5, 4, 8)];
    expectClose(
      scalarValue(() => ntXent(tf.mul(tensor(a), 100) as Tensor2D, tf.mul(tensor(b), 0.01) as Tensor2D)),
      scalarValue(() => ntXent(tensor(a), tensor(b))),
    );
  });
});

describe('ntXent gradients agree with finite differences', () => {
  it('w.r.t. both views', () => {
    expectGradientsMatchFiniteDifferences(
      (a, b) => ntXent(a, b, { temperature: 0.5 }),
      [seededMatrix(4, 5, 11), seededMatrix(4, 5, 12)],
    );
  });
  it('three views at τ = 0.3', () => {
    expectGradientsMatchFiniteDifferences(
      (a, b, c) => ntXent([a, b, c], { temperature: 0.3 }),
      [seededMatrix(3, 4, 13), seededMatrix(3, 4, 14), seededMatrix(3, 4, 15)],
    );
  });
});

describe('ntXent is numerically stable', () => {
  it('τ = 0.05 with nearly identical and nearly opposite views: finite value and gradient', () => {
    tf.tidy(() => {
      const near = tf.add(tf.ones([8, 16]), tf.mul(createRng(1).normalTensor([8, 16]), 1e-3)) as Tensor2D;
      for (const other of [near, tf.neg(near) as Tensor2D]) {
        const [value, gradient] = [
          ntXent(near, other, { temperature: 0.05 }),
          tf.grad((x: Tensor) => ntXent(x as Tensor2D, other, { temperature: 0.05 }))(near),
        ];
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        expect(Array.from(gradient.dataSync()).every(Number.isFinite)).toBe(true);
      }
    });
  });
  it('zero vectors: finite value and gradient', () => {
    expectFiniteGradientsOnItself((a, b) => ntXent(a, b, { temperature: 0.05 }), [zeroMatrix(4, 8)]);
  });
  it('batch 2 works (the smallest batch with a negative)', () => {
    const [a, b] = [seededMatrix(2, 3, 16), seededMatrix(2, 3, 17)];
    expectClose(
      scalarValue(() => ntXent(tensor(a), tensor(b), { temperature: 0.1 })),
      ntXentLoop([a, b], 0.1),
    );
  });
  it('batch 4096 × D = 128 (an 8192 × 8192 similarity matrix): one finite forward pass', () => {
    const value = scalarValue(() =>
      ntXent(createRng(40).normalTensor([4096, 128]) as Tensor2D, createRng(41).normalTensor([4096, 128]) as Tensor2D, {
        temperature: 0.05,
      }),
    );
    expect(Number.isFinite(value)).toBe(true);
    // Random directions in 128-d: cosines ≈ N(0, 1/128); the loss sits near log(2N − 1) + spread.
    expect(value).toBeGreaterThan(Math.log(8191));
    expect(value).toBeLessThan(Math.log(8191) + 2 / 0.05);
  });
});

describe('ntXent rejects bad input with errors naming it', () => {
  it('shapes, batch size, view count, temperature, dtype', () => {
    tf.tidy(() => {
      const a = tf.zeros([8, 16]) as Tensor2D;
      expect(() => ntXent(a, tf.zeros([8, 15]) as Tensor2D)).toThrow(
        'ntXent: z1 and z2 must both be [batch, dim]; got [8,16] and [8,15]',
      );
      expect(() => ntXent(a, tf.zeros([8, 16, 1]) as unknown as Tensor2D)).toThrow(
        'ntXent: z1 and z2 must both be [batch, dim]; got [8,16] and [8,16,1]',
      );
      expect(() => ntXent([a, a, tf.zeros([7, 16]) as Tensor2D])).toThrow(
        'ntXent: views[0], views[1] and views[2] must all be [batch, dim]; got [8,16], [8,16] and [7,16]',
      );
      expect(() => ntXent(tf.zeros([1, 4]) as Tensor2D, tf.zeros([1, 4]) as Tensor2D)).toThrow(
        'ntXent: needs a batch of at least 2 (a sample needs negatives); z1 is [1,4]',
      );
      expect(() => ntXent([a])).toThrow('ntXent: needs at least two views; got 1');
      expect(() => ntXent(a, a, { temperature: 0 })).toThrow(
        'ntXent: temperature must be a finite number above 0; got 0',
      );
      expect(() => ntXent(a, a, { temperature: Number.NaN })).toThrow(/temperature must be/);
      expect(() => ntXent(a, tf.zeros([8, 16], 'int32') as Tensor2D)).toThrow('ntXent: z2 must be float32; got int32');
      expect(() => ntXent(a, undefined as unknown as Tensor2D)).toThrow('ntXent: z2 must be a tensor; got undefined');
    });
  });
  it('NaN or Infinity in an input: the error names the input and the row', () => {
    tf.tidy(() => {
      const good = tensor(seededMatrix(4, 3, 20));
      const bad = tf.tensor2d([
        [1, 2, 3],
        [4, Number.NaN, 6],
        [7, 8, 9],
        [1, 1, 1],
      ]) as Tensor2D;
      expect(() => ntXent(good, bad)).toThrow('ntXent: z2 contains NaN at row 1, column 1; the loss is NaN');
      expect(() => ntXent([good, good, bad])).toThrow('ntXent: views[2] contains NaN at row 1, column 1');
      const infinite = tf.tensor2d([
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, Number.POSITIVE_INFINITY],
        [1, 0, 0],
      ]) as Tensor2D;
      expect(() => ntXent(infinite, good)).toThrow('ntXent: z1 contains Infinity at row 2, column 2');
      // Unchecked, the NaN comes back for the caller to handle.
      expect(Number.isNaN(ntXent(good, bad, { checkFinite: false }).dataSync()[0])).toBe(true);
    });
  });
});

describe('ntXent leaks no tensors', () => {
  it('forward, multi-view, gradient, and a throwing call', async () => {
    const a = tensor(seededMatrix(6, 4, 30));
    const b = tensor(seededMatrix(6, 4, 31));
    const bad = tf.fill([6, 4], Number.NaN) as Tensor2D;
    await assertNoTensorLeak('ntXent', () => ntXent(a, b));
    await assertNoTensorLeak('ntXent 3 views', () => ntXent([a, b, a], { temperature: 0.1 }));
    await assertNoTensorLeak('ntXent gradient', () =>
      tf.grads((x: Tensor, y: Tensor) => ntXent(x as Tensor2D, y as Tensor2D))([a, b]),
    );
    await assertNoTensorLeak('ntXent NaN', () => {
      expect(() => ntXent(a, bad)).toThrow(/NaN/);
    });
    tf.dispose([a, b, bad]);
  });
});
