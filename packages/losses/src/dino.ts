import { type Scalar, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import { checkFinite, expectMatrix } from './input-checks.js';
import { stopGradient } from './stop-gradient.js';

export interface DinoOptions {
  /** Student temperature (default 0.1). */
  studentTemp?: number;
  /** Teacher temperature (default 0.04; DINO warms it up to 0.07). */
  teacherTemp?: number;
  /** The running center of the teacher outputs [K] (see {@link updateCenter}); default zeros. */
  center?: Tensor1D;
  checkFinite?: boolean;
}

/**
 * DINO's self-distillation loss (Caron et al. 2021, arXiv:2104.14294): the teacher's centered,
 * sharpened softmax (no gradient) is the target of the student's softmax, over every pair of a
 * teacher view and a different student view (multi-crop: the global views are the first ones of
 * both lists):
 *
 *   L = mean_{(t, s), t≠s} mean_n Σ_k −softmax((T_t − c)/τ_t)_nk · log softmax(S_s/τ_s)_nk
 *
 * @param studentOutputs one [N, K] per student view (global views first); a single tensor is one view.
 * @param teacherOutputs one [N, K] per teacher (global) view.
 */
export function dino(
  studentOutputs: Tensor2D | Tensor2D[],
  teacherOutputs: Tensor2D | Tensor2D[],
  options: DinoOptions = {},
): Scalar {
  const students = Array.isArray(studentOutputs) ? studentOutputs : [studentOutputs];
  const teachers = Array.isArray(teacherOutputs) ? teacherOutputs : [teacherOutputs];
  const shape = (teachers[0] as Tensor2D | undefined)?.shape;
  if (shape === undefined || students.length === 0)
    throw new Error('dino: needs at least one student and one teacher output');
  for (const [i, t] of [
    ...students.map((s, i) => [`studentOutputs[${i}]`, s] as const),
    ...teachers.map((t, i) => [`teacherOutputs[${i}]`, t] as const),
  ].entries()) {
    expectMatrix('dino', t[0], t[1]);
    if (t[1].shape.join() !== shape.join())
      throw new Error(`dino: every output must be [${shape}]; ${t[0]} is [${t[1].shape}] (#${i})`);
  }
  if (options.center !== undefined && (options.center.rank !== 1 || options.center.shape[0] !== shape[1])) {
    throw new Error(`dino: center must be [${shape[1]}]; got [${options.center.shape}]`);
  }
  const studentTemp = options.studentTemp ?? 0.1;
  const teacherTemp = options.teacherTemp ?? 0.04;
  const single = students.length === 1 && teachers.length === 1;
  const loss = tf.tidy(() => {
    const center = options.center ?? tf.zeros([shape[1]]);
    const targets = teachers.map((t) => tf.softmax(tf.div(tf.sub(stopGradient(t), center), teacherTemp)));
    const logStudents = students.map((s) => tf.logSoftmax(tf.div(s, studentTemp)));
    const terms: tf.Tensor[] = [];
    targets.forEach((target, t) => {
      logStudents.forEach((logStudent, s) => {
        if (s === t && !single) return; // the same view is not its own target
        terms.push(tf.mean(tf.neg(tf.sum(tf.mul(target, logStudent), 1))));
      });
    });
    return tf.div(tf.addN(terms), terms.length) as Scalar;
  });
  return options.checkFinite === false
    ? loss
    : checkFinite(
        'dino',
        loss,
        Object.fromEntries([
          ...students.map((s, i) => [`studentOutputs[${i}]`, s]),
          ...teachers.map((t, i) => [`teacherOutputs[${i}]`, t]),
        ]),
      );
}

/**
 * DINO's center update: c ← m·c + (1 − m)·mean of the teacher outputs over the batch (all views).
 * Returns a new [K] tensor; the caller disposes the old center.
 */
export function updateCenter(center: Tensor1D, teacherOutputs: Tensor2D | Tensor2D[], momentum = 0.9): Tensor1D {
  const teachers = Array.isArray(teacherOutputs) ? teacherOutputs : [teacherOutputs];
  return tf.tidy(
    () => tf.add(tf.mul(center, momentum), tf.mul(tf.mean(tf.concat(teachers, 0), 0), 1 - momentum)) as Tensor1D,
  );
}
