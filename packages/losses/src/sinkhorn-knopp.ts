import { type Tensor2D, tf } from '@selfsup/backend';
import { expectMatrix, expectPositive } from './input-checks.js';
import { withoutGradient } from './without-gradient.js';

/** Options of {@link sinkhornKnopp}. */
export interface SinkhornKnoppOptions {
  /** Alternating normalization rounds. Default 3 (SwAV's `sinkhorn_iterations`). */
  iterations?: number;
  /** Entropic regularization ε > 0: Q ∝ exp(scores/ε). Default 0.05 (SwAV's `epsilon`). */
  epsilon?: number;
}

/**
 * Sinkhorn-Knopp soft assignment of a batch to prototypes (Cuturi 2013; Caron et al. 2020,
 * arXiv:2006.09882, §3.1 and the official `distributed_sinkhorn` on one process): Q = exp(S/ε)ᵀ
 * `[K, B]` normalized to sum 1, then `iterations` rounds of "every prototype (row) gets total
 * 1/K" then "every sample (column) gets total 1/B", returned as B·Qᵀ so each sample's codes sum
 * to 1. The same arithmetic runs in the log domain (log-sum-exp instead of sums), so exp(S/ε)
 * cannot overflow or underflow whatever the scale of the scores. No gradient flows through it.
 *
 * @param scores `[B, K]` scores of B samples against K prototypes (SwAV: cosines, in [−1, 1]).
 * @returns codes `[B, K]`, rows summing to 1, columns to ≈ B/K (exactly after enough iterations).
 * @example const codes = sinkhornKnopp(scores, { iterations: 3, epsilon: 0.05 });
 * @throws when scores is not float32 `[B, K]`, iterations is not a non-negative integer or ε ≤ 0.
 */
export function sinkhornKnopp(scores: Tensor2D, options: SinkhornKnoppOptions = {}): Tensor2D {
  expectMatrix('sinkhornKnopp', 'scores', scores);
  const iterations = options.iterations ?? 3;
  const epsilon = options.epsilon ?? 0.05;
  if (!(Number.isInteger(iterations) && iterations >= 0)) {
    throw new Error(`sinkhornKnopp: iterations must be a non-negative integer; got ${iterations}`);
  }
  expectPositive('sinkhornKnopp', 'epsilon', epsilon);
  const [samples, prototypes] = scores.shape;
  // Computed as a constant: no gradient, and nothing recorded for backpropagation.
  return withoutGradient(scores, (s) => {
    let logQ = tf.div(s, epsilon) as Tensor2D;
    logQ = tf.sub(logQ, tf.logSumExp(logQ));
    for (let i = 0; i < iterations; i++) {
      logQ = tf.sub(logQ, tf.add(tf.logSumExp(logQ, 0, true), Math.log(prototypes))); // each prototype: 1/K
      logQ = tf.sub(logQ, tf.add(tf.logSumExp(logQ, 1, true), Math.log(samples))); // each sample: 1/B
    }
    return tf.exp(tf.add(logQ, Math.log(samples))) as Tensor2D;
  });
}
