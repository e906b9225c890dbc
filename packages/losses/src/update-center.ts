import { type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { expectFloatTensor, expectSameMatrices, shapeText } from './input-checks.js';

/**
 * DINO's center update (Caron et al. 2021, arXiv:2104.14294, eq. 4): c ← m·c + (1 − m)·mean of
 * the teacher outputs over the batch and all teacher views. Run it after the loss of the step.
 *
 * Ownership: returns a **new** tensor of the shape of `center`; the old center and the teacher
 * outputs stay the caller's (dispose the old center, or keep it in a variable and `assign`).
 *
 * @param center `[K]` or `[1, K]` the current center (start with zeros).
 * @param teacherOut `[N, K]` teacher outputs, or a list of them (one per global crop).
 * @param momentum m in [0, 1]. Default 0.9 (DINO's `center_momentum`).
 * @example
 * const next = updateCenter(center, [t1, t2]);
 * center.dispose();
 * center = next;
 * @throws when shapes disagree or m is outside [0, 1].
 */
export function updateCenter<T extends Tensor>(
  center: T,
  teacherOut: Tensor2D | readonly Tensor2D[],
  momentum = 0.9,
): T {
  expectFloatTensor('updateCenter', 'center', center);
  const teachers = (Array.isArray(teacherOut) ? teacherOut : [teacherOut]) as Tensor2D[];
  if (teachers.length === 0) throw new Error('updateCenter: needs teacher outputs');
  expectSameMatrices(
    'updateCenter',
    teachers.map((t, i) => [Array.isArray(teacherOut) ? `teacherOut[${i}]` : 'teacherOut', t] as const),
  );
  const classes = (teachers[0] as Tensor2D).shape[1];
  if (center.size !== classes || center.rank > 2 || center.shape[center.rank - 1] !== classes) {
    throw new Error(`updateCenter: center must be [${classes}] or [1, ${classes}]; got ${shapeText(center)}`);
  }
  if (!(typeof momentum === 'number' && momentum >= 0 && momentum <= 1)) {
    throw new Error(`updateCenter: momentum must be in [0, 1]; got ${momentum}`);
  }
  return tf.tidy(() => {
    const batchCenter = tf.reshape(tf.mean(tf.concat(teachers, 0), 0), center.shape);
    return tf.add(tf.mul(center, momentum), tf.mul(batchCenter, 1 - momentum)) as T;
  });
}
