import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { checkFinite, expectMatrix, expectSameShape } from './input-checks.js';
import { stopGradient } from './stop-gradient.js';

export interface SwavOptions {
  /** Temperature of the predicted distributions (default 0.1). */
  temperature?: number;
  /** Sinkhorn-Knopp iterations (default 3). */
  sinkhornIterations?: number;
  /** Entropic regularization ε of the assignment (default 0.05). */
  epsilon?: number;
  checkFinite?: boolean;
}

/**
 * Sinkhorn-Knopp soft assignment of a batch to prototypes (Cuturi 2013; SwAV's code): Q = exp(S/ε)
 * normalized so every prototype gets an equal share of the batch and every sample a distribution:
 * returns [N, K] rows summing to 1. No gradient flows through it.
 *
 * @param scores [N, K] prototype scores.
 */
export function sinkhornKnopp(scores: Tensor2D, iterations = 3, epsilon = 0.05): Tensor2D {
  return tf.tidy(() => {
    const [batch, prototypes] = scores.shape;
    // Subtracting the maximum changes nothing after normalization and keeps exp finite.
    const scaled = tf.div(stopGradient(scores), epsilon);
    let q = tf.exp(tf.sub(scaled, tf.max(scaled)));
    q = tf.div(q, tf.sum(q));
    for (let i = 0; i < iterations; i++) {
      q = tf.div(tf.div(q, tf.sum(q, 0, true)), prototypes); // each prototype: total 1/K
      q = tf.div(tf.div(q, tf.sum(q, 1, true)), batch); // each sample: total 1/B
    }
    return tf.mul(q, batch) as Tensor2D;
  });
}

/**
 * SwAV's swapped prediction (Caron et al. 2020, arXiv:2006.09882): the Sinkhorn codes of one view
 * are the targets of the other view's prototype softmax:
 *
 *   L = −½·mean_n [ Σ_k q¹_nk log softmax(s²_n/τ)_k + Σ_k q²_nk log softmax(s¹_n/τ)_k ]
 *
 * @param scores1 [N, K], @param scores2 [N, K]: scores of the two views against the (normalized) prototypes.
 */
export function swav(scores1: Tensor2D, scores2: Tensor2D, options: SwavOptions = {}): Scalar {
  expectMatrix('swav', 'scores1', scores1);
  expectMatrix('swav', 'scores2', scores2);
  expectSameShape('swav', { scores1, scores2 });
  const temperature = options.temperature ?? 0.1;
  const loss = tf.tidy(() => {
    const q1 = sinkhornKnopp(scores1, options.sinkhornIterations ?? 3, options.epsilon ?? 0.05);
    const q2 = sinkhornKnopp(scores2, options.sinkhornIterations ?? 3, options.epsilon ?? 0.05);
    const crossEntropy = (q: Tensor2D, s: Tensor2D) =>
      tf.neg(tf.mean(tf.sum(tf.mul(q, tf.logSoftmax(tf.div(s, temperature))), 1)));
    return tf.mul(tf.add(crossEntropy(q1, scores2), crossEntropy(q2, scores1)), 0.5) as Scalar;
  });
  return options.checkFinite === false ? loss : checkFinite('swav', loss, { scores1, scores2 });
}
