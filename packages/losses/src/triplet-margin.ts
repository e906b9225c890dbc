import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { expectFinite, expectSameMatrices, finiteOrThrow } from './input-checks.js';
import type { LossOptions } from './loss-options.js';

/** Options of {@link tripletMargin}. */
export interface TripletMarginOptions extends LossOptions {
  /** Margin α. Default 1 (PyTorch's `TripletMarginLoss`). */
  margin?: number;
}

/**
 * Triplet margin loss (Schroff, Kalenichenko & Philbin 2015, FaceNet, arXiv:1503.03832, eq. 1),
 * PyTorch's `F.triplet_margin_loss` form (p = 2, no swap, mean):
 *
 *   L = mean_i max(0, d(a_i, p_i) − d(a_i, n_i) + α),   d(x, y) = ‖x − y + ε‖₂, ε = 1e-6
 *
 * The ε keeps d > 0, so the gradient is finite when two embeddings coincide. Embeddings are used
 * as given (normalize them first if the method calls for it).
 *
 * @param anchor `[N, D]`; @param positive `[N, D]`; @param negative `[N, D]`.
 * @returns a scalar; inputs are not disposed.
 * @example const loss = tripletMargin(anchor, positive, negative, { margin: 0.2 });
 * @throws when the inputs are not float32 `[N, D]` of one shape, the margin is not finite, or the
 *   loss is NaN/Infinity.
 */
export function tripletMargin(
  anchor: Tensor2D,
  positive: Tensor2D,
  negative: Tensor2D,
  options: TripletMarginOptions = {},
): Scalar {
  const named = [
    ['anchor', anchor],
    ['positive', positive],
    ['negative', negative],
  ] as const;
  expectSameMatrices('tripletMargin', named);
  const margin = options.margin ?? 1;
  expectFinite('tripletMargin', 'margin', margin);
  const loss = tf.tidy(() => {
    const distance = (x: Tensor2D, y: Tensor2D) => tf.sqrt(tf.sum(tf.square(tf.add(tf.sub(x, y), 1e-6)), 1));
    return tf.mean(tf.relu(tf.add(tf.sub(distance(anchor, positive), distance(anchor, negative)), margin))) as Scalar;
  });
  return options.checkFinite === false ? loss : finiteOrThrow('tripletMargin', loss, named);
}
