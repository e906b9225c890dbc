import { type Tensor, tf } from '@selfsup/backend';
import { expectFloatTensor, expectPositive } from './input-checks.js';

/**
 * Scales every vector along the last axis to unit L2 norm, as PyTorch's `F.normalize(x, dim=-1)`:
 * x / max(‖x‖, ε). A zero vector stays zero instead of becoming NaN, and its gradient stays
 * finite (the clamp is applied to the squared norm, √max(‖x‖², ε²), so √ is never differentiated
 * at 0).
 *
 * @param x any shape `[…, dim]`, float32 (not disposed).
 * @param epsilon lower bound of the norm (default 1e-12, PyTorch's).
 * @returns a new tensor of the shape of `x`.
 * @example const unit = l2Normalize(z); // [N, D], rows of norm 1 (or 0)
 * @throws when `x` is not a float32 tensor or `epsilon` is not positive.
 */
export function l2Normalize<T extends Tensor>(x: T, epsilon = 1e-12): T {
  expectFloatTensor('l2Normalize', 'x', x);
  expectPositive('l2Normalize', 'epsilon', epsilon);
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), -1, true), epsilon * epsilon))) as T);
}
