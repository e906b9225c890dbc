import { assertNoTensorLeak, type Tensor, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { dino } from './dino.js';
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

/** The DINO loss as loops, float64; `multiCrop` skips pairs of the same view index. */
function dinoLoop(
  students: Matrix[],
  teachers: Matrix[],
  center: number[],
  studentTemp: number,
  teacherTemp: number,
  multiCrop: boolean,
): number {
  const logSoftmax = (row: number[]) => {
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
    return row.map((x) => x - lse);
  };
  let total = 0;
  let pairs = 0;
  teachers.forEach((teacher, t) => {
    students.forEach((student, s) => {
      if (multiCrop && s === t) return;
      let sum = 0;
      teacher.forEach((row, n) => {
        const target = logSoftmax(row.map((x, k) => (x - (center[k] as number)) / teacherTemp)).map(Math.exp);
        const logP = logSoftmax((student[n] as number[]).map((x) => x / studentTemp));
        sum -= target.reduce((acc, p, k) => acc + p * (logP[k] as number), 0);
      });
      total += sum / teacher.length;
      pairs++;
    });
  });
  return total / pairs;
}

const reference = pytorchReferences().inputs;
const referenceCenter = pytorchCase('dino').options.center as number[];

describe('dino matches the official DINOLoss in PyTorch', () => {
  it('one pair, with a center: gradient into the student only', () => {
    const center = tf.tensor1d(referenceCenter) as Tensor1D;
    expectMatchesPytorch(
      pytorchCase('dino'),
      { studentOut: tensor(reference.z1), teacherOut: tensor(reference.z2) },
      (s, t) => dino(s as Tensor2D, t as Tensor2D, { studentTemp: 0.1, teacherTemp: 0.04, center }),
    );
    center.dispose();
  });
  it('multi-crop: three student views, two teacher views, same-view pairs skipped', () => {
    const center = tf.tensor1d(referenceCenter) as Tensor1D;
    const [z1, z2] = [tensor(reference.z1), tensor(reference.z2)];
    expectMatchesPytorch(
      pytorchCase('dinoMultiCrop'),
      // Separate tensors for the teachers: the gradient is taken w.r.t. each input separately.
      { s0: z1, s1: z2, s2: tf.reverse(z1, 0), t0: tensor(reference.z2), t1: tensor(reference.z1) },
      (s0, s1, s2, t0, t1) => dino([s0, s1, s2] as Tensor2D[], [t0, t1] as Tensor2D[], { center }),
    );
    center.dispose();
  });
});

describe('dino agrees with a loop over the formula', () => {
  const views = [seededMatrix(5, 6, 1), seededMatrix(5, 6, 2), seededMatrix(5, 6, 3), seededMatrix(5, 6, 4)];
  const center = [0.1, -0.1, 0.05, 0, 0.2, -0.3];
  it('one pair and multi-crop (4 student views, 2 teacher views), [K] and [1, K] centers', () => {
    const c = () => tf.tensor1d(center);
    expectClose(
      scalarValue(() =>
        dino(tensor(views[0] as Matrix), tensor(views[1] as Matrix), {
          center: c(),
          studentTemp: 0.2,
          teacherTemp: 0.05,
        }),
      ),
      dinoLoop([views[0] as Matrix], [views[1] as Matrix], center, 0.2, 0.05, false),
    );
    expectClose(
      scalarValue(() => dino(views.map(tensor), views.slice(0, 2).map(tensor), { center: tf.tensor2d([center]) })),
      dinoLoop(views, views.slice(0, 2), center, 0.1, 0.04, true),
    );
  });
});

describe('dino: hand-derived cases', () => {
  it('uniform teacher and student (collapse to a constant): log K', () => {
    expectClose(
      scalarValue(() => dino(tf.zeros([4, 8]) as Tensor2D, tf.zeros([4, 8]) as Tensor2D)),
      Math.log(8),
    );
  });
  it('student = teacher, equal temperatures, no center: the entropy of the teacher distribution', () => {
    const z = seededMatrix(3, 4, 5);
    const entropy =
      z
        .map((row) => {
          const max = Math.max(...row);
          const logZ = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
          return -row.reduce((s, x) => s + Math.exp(x - logZ) * (x - logZ), 0);
        })
        .reduce((a, b) => a + b, 0) / 3;
    expectClose(
      scalarValue(() => dino(tensor(z), tensor(z), { studentTemp: 1, teacherTemp: 1 })),
      entropy,
    );
  });
  it('a center shifting every teacher logit equally changes nothing (softmax is shift-invariant per row)', () => {
    const [s, t] = [seededMatrix(3, 4, 6), seededMatrix(3, 4, 7)];
    expectClose(
      scalarValue(() => dino(tensor(s), tensor(t), { center: tf.fill([4], 5) })),
      scalarValue(() => dino(tensor(s), tensor(t))),
    );
  });
});

describe('dino gradients', () => {
  it('agree with finite differences (one pair; multi-crop students)', () => {
    const teacher = tensor(seededMatrix(4, 5, 20));
    expectGradientsMatchFiniteDifferences(
      (s) => dino(s, teacher, { studentTemp: 0.5, teacherTemp: 0.3 }),
      [seededMatrix(4, 5, 11)],
    );
    expectGradientsMatchFiniteDifferences(
      (a, b, c) => dino([a, b, c], [teacher, teacher], { studentTemp: 0.5, teacherTemp: 0.3 }),
      [seededMatrix(3, 5, 12), seededMatrix(3, 5, 13), seededMatrix(3, 5, 14)].map((m) => [
        ...m,
        ...seededMatrix(1, 5, 15),
      ]),
    );
    teacher.dispose();
  });
  it('are exactly zero into the teacher and the center', () => {
    tf.tidy(() => {
      const [s, t, c] = [
        tensor(seededMatrix(4, 5, 1)),
        tensor(seededMatrix(4, 5, 2)),
        tf.tensor1d([0.1, 0.2, 0, -0.1, 0.3]),
      ];
      const [, gt, gc] = tf.grads((a: Tensor, b: Tensor, center: Tensor) =>
        dino(a as Tensor2D, b as Tensor2D, { center }),
      )([s, t, c]);
      for (const g of [gt, gc]) expect(Array.from((g as Tensor).dataSync()).every((v) => v === 0)).toBe(true);
    });
  });
});

describe('dino: stability, errors, leaks', () => {
  it('sharp temperatures with large outputs, zero outputs, batch 1: finite value and gradient', () => {
    tf.tidy(() => {
      const large = tensor(seededMatrix(4, 6, 9, 100));
      for (const [s, t] of [
        [large, tf.neg(large)],
        [tf.zeros([4, 6]), tf.zeros([4, 6])],
        [tf.ones([1, 6]), tf.ones([1, 6])],
      ] as Array<[Tensor2D, Tensor2D]>) {
        const f = (x: Tensor) => dino(x as Tensor2D, t, { studentTemp: 0.1, teacherTemp: 0.04 });
        expect(Number.isFinite(f(s).dataSync()[0])).toBe(true);
        expect(Array.from(tf.grad(f)(s).dataSync()).every(Number.isFinite)).toBe(true);
      }
    });
  });
  it('errors name the input', () => {
    tf.tidy(() => {
      const a = tf.zeros([4, 6]) as Tensor2D;
      expect(() => dino([a], [a])).toThrow(/dino: no pair of different views/);
      expect(() => dino([a, a], [a, tf.zeros([4, 5]) as Tensor2D])).toThrow(
        'dino: studentOut[0], studentOut[1], teacherOut[0] and teacherOut[1] must all be [batch, dim]; got [4,6], [4,6], [4,6] and [4,5]',
      );
      expect(() => dino(a, a, { center: tf.zeros([3]) })).toThrow('dino: center must be [6] or [1, 6]; got [3]');
      expect(() => dino(a, a, { teacherTemp: 0 })).toThrow('dino: teacherTemp must be a finite number above 0; got 0');
      const bad = tf.tensor2d([
        [0, 0],
        [0, Number.NaN],
      ]) as Tensor2D;
      expect(() =>
        dino([tf.zeros([2, 2]) as Tensor2D, tf.zeros([2, 2]) as Tensor2D], [tf.zeros([2, 2]) as Tensor2D, bad]),
      ).toThrow('dino: teacherOut[1] contains NaN at row 1, column 1; the loss is NaN');
    });
  });
  it('leaks no tensors', async () => {
    const [a, b] = [tensor(seededMatrix(6, 4, 30)), tensor(seededMatrix(6, 4, 31))];
    const center = tf.zeros([4]);
    await assertNoTensorLeak('dino', () => dino(a, b, { center }));
    await assertNoTensorLeak('dino multi-crop', () => dino([a, b, a], [b, a]));
    await assertNoTensorLeak('dino gradient', () => tf.grad((x: Tensor) => dino(x as Tensor2D, b, { center }))(a));
    tf.dispose([a, b, center]);
  });
});
