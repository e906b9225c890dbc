import { type Tensor, tf } from '@selfsup/backend';

/**
 * Divides each row by its L2 norm, clamped below by `epsilon` (as PyTorch's `F.normalize`, eps
 * 1e-12): zero vectors stay zero instead of becoming NaN. Works on the last axis. The clamp is
 * applied to the squared norm (√max(‖x‖², ε²)), so the gradient at a zero vector is finite too.
 * @example const unit = l2Normalize(z); // [N, D] rows of norm 1
 */
export function l2Normalize<T extends Tensor>(x: T, epsilon = 1e-12): T {
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), -1, true), epsilon * epsilon))) as T);
}
