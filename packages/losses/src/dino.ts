import { type Scalar, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { expectFloatTensor, expectPositive, expectSameMatrices, finiteOrThrow, shapeText } from './input-checks.js';
import type { LossOptions } from './loss-options.js';
import { withoutGradient } from './without-gradient.js';

/** Options of {@link dino}. */
export interface DinoOptions extends LossOptions {
  /** Student temperature τ_s > 0. Default 0.1. */
  studentTemp?: number;
  /** Teacher temperature τ_t > 0 (sharpening). Default 0.04 (DINO warms it from 0.04 to 0.07 in some runs). */
  teacherTemp?: number;
  /** The running center c of the teacher outputs, `[K]` or `[1, K]` (see {@link updateCenter}). Default 0. */
  center?: Tensor;
}

/**
 * DINO's self-distillation loss (Caron et al. 2021, arXiv:2104.14294, eq. 2–3 and the official
 * `DINOLoss`): the teacher's centred, sharpened softmax P_t = softmax((t − c)/τ_t) — a constant,
 * no gradient into the teacher or the center — is the target of the student's log-softmax:
 *
 *   ℓ(t, s) = mean_n Σ_k −P_t(n, k) · log softmax(s_n/τ_s)_k
 *
 * - `dino(studentOut, teacherOut)` with two tensors: one pair, ℓ(teacher, student); pair
 *   different views yourself (student on view 2, teacher on view 1).
 * - `dino(studentViews, teacherViews)` with lists (multi-crop): teacher view i and student view i
 *   are the same crop (global crops first in both lists); the loss is the mean of ℓ over all pairs
 *   of a teacher view and a *different* student view, as the official loss.
 * Log-softmax and softmax are max-shifted: finite for small temperatures and zero outputs.
 * Update the center after the step with {@link updateCenter}.
 *
 * @param studentOut `[N, K]` student head outputs, or a list of them (one per crop).
 * @param teacherOut `[N, K]` teacher head outputs, or a list (one per global crop).
 * @returns a scalar; inputs are not disposed.
 * @example
 * const loss = dino([s1, s2, s3, s4], [t1, t2], { studentTemp: 0.1, teacherTemp: 0.04, center });
 * const next = updateCenter(center, [t1, t2], 0.9); center.dispose(); center = next;
 * @throws when outputs are not float32 `[N, K]` of one shape, the lists give no pair of different
 *   views, center is not `[K]`, a temperature is not positive, or the loss is NaN/Infinity.
 */
export function dino(
  studentOut: Tensor2D | readonly Tensor2D[],
  teacherOut: Tensor2D | readonly Tensor2D[],
  options: DinoOptions = {},
): Scalar {
  const multiCrop = Array.isArray(studentOut) || Array.isArray(teacherOut);
  const students = (Array.isArray(studentOut) ? studentOut : [studentOut]) as Tensor2D[];
  const teachers = (Array.isArray(teacherOut) ? teacherOut : [teacherOut]) as Tensor2D[];
  const named = [
    ...students.map((s, i) => [multiCrop ? `studentOut[${i}]` : 'studentOut', s] as const),
    ...teachers.map((t, i) => [multiCrop ? `teacherOut[${i}]` : 'teacherOut', t] as const),
  ];
  if (students.length === 0 || teachers.length === 0) throw new Error('dino: needs student and teacher outputs');
  expectSameMatrices('dino', named);
  const pairs: Array<[number, number]> = [];
  teachers.forEach((_, t) => {
    students.forEach((_, s) => {
      if (!multiCrop || s !== t) pairs.push([t, s]);
    });
  });
  if (pairs.length === 0) {
    throw new Error(
      'dino: no pair of different views: with lists, teacher view i and student view i are the same crop (pass at least two student views)',
    );
  }
  const classes = (teachers[0] as Tensor2D).shape[1];
  const center = options.center;
  if (center !== undefined) {
    expectFloatTensor('dino', 'center', center);
    if (center.size !== classes || center.shape[center.rank - 1] !== classes || center.rank > 2) {
      throw new Error(`dino: center must be [${classes}] or [1, ${classes}]; got ${shapeText(center)}`);
    }
  }
  const studentTemp = options.studentTemp ?? 0.1;
  const teacherTemp = options.teacherTemp ?? 0.04;
  expectPositive('dino', 'studentTemp', studentTemp);
  expectPositive('dino', 'teacherTemp', teacherTemp);

  const loss = tf.tidy(() => {
    // Teacher targets are constants: zero gradient into the teacher and the center.
    const target = (t: Tensor2D) =>
      center === undefined
        ? withoutGradient(t, (x) => tf.softmax(tf.div(x, teacherTemp)))
        : withoutGradient([t, center], (x, c) =>
            tf.softmax(tf.div(tf.sub(x as Tensor, tf.reshape(c as Tensor, [classes])), teacherTemp)),
          );
    const targets = teachers.map(target);
    const logStudents = students.map((s) => tf.logSoftmax(tf.div(s, studentTemp)));
    const terms = pairs.map(([t, s]) =>
      tf.neg(tf.mean(tf.sum(tf.mul(targets[t] as Tensor, logStudents[s] as Tensor), 1))),
    );
    return tf.div(tf.addN(terms), terms.length) as Scalar;
  });
  const inputs = center === undefined ? named : [...named, ['center', center] as const];
  return options.checkFinite === false ? loss : finiteOrThrow('dino', loss, inputs);
}
