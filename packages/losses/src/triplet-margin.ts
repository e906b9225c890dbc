import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { checkFinite, expectMatrix, expectSameShape } from './input-checks.js';

export interface TripletMarginOptions {
  /** Margin (default 1, as PyTorch's TripletMarginLoss). */
  margin?: number;
  checkFinite?: boolean;
}

/**
 * Triplet margin loss (Schroff et al. 2015), PyTorch's form: mean(max(0, d(a, p) − d(a, n) + margin))
 * with d the L2 distance ‖x − y + ε‖ (ε = 1e-6 keeps the gradient finite at 0).
 * @param anchor [N, D]; @param positive [N, D]; @param negative [N, D].
 */
export function tripletMargin(
  anchor: Tensor2D,
  positive: Tensor2D,
  negative: Tensor2D,
  options: TripletMarginOptions = {},
): Scalar {
  for (const [name, x] of Object.entries({ anchor, positive, negative })) expectMatrix('tripletMargin', name, x);
  expectSameShape('tripletMargin', { anchor, positive, negative });
  const margin = options.margin ?? 1;
  const loss = tf.tidy(() => {
    const distance = (x: Tensor2D, y: Tensor2D) => tf.sqrt(tf.sum(tf.square(tf.add(tf.sub(x, y), 1e-6)), 1));
    return tf.mean(tf.relu(tf.add(tf.sub(distance(anchor, positive), distance(anchor, negative)), margin))) as Scalar;
  });
  return options.checkFinite === false ? loss : checkFinite('tripletMargin', loss, { anchor, positive, negative });
}
