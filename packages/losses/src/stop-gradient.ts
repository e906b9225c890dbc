import { type Tensor, tf } from '@selfsup/backend';
import { withoutGradient } from './without-gradient.js';

/**
 * The identity whose gradient is zero, like PyTorch's `detach()` and TensorFlow's
 * `stop_gradient`: BYOL/SimSiam targets, MoCo keys, DINO teacher outputs and SwAV codes are
 * constants for their loss. Returns a new tensor (a copy) of the same shape.
 *
 * @example const target = stopGradient(z); // no gradient flows into z through target
 */
export function stopGradient<T extends Tensor>(x: T): T {
  return withoutGradient(x, (value) => tf.clone(value) as T);
}
