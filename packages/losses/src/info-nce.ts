import { rowLogSumExp, type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { expectBatchAtLeast, expectMatrix, expectPositive, expectSameMatrices, finiteOrThrow } from './input-checks.js';
import { l2Normalize } from './l2-normalize.js';
import type { LossOptions } from './loss-options.js';
import { withoutGradient } from './without-gradient.js';

/** Options of {@link infoNce}. */
export interface InfoNceOptions extends LossOptions {
  /** Temperature τ > 0. Default 0.2 (MoCo v2; MoCo v1 used 0.07). */
  temperature?: number;
  /**
   * Also use the other queries' keys of the batch as negatives (MoCo v3, arXiv:2104.02057; CLIP):
   * the logits become q·[k_1 … k_N, negatives]ᵀ/τ with target i. MoCo v3 passes an empty
   * `negatives` ([0, D]) and scales the loss by 2τ. Default false (MoCo v1/v2).
   */
  inBatchNegatives?: boolean;
  /**
   * Treat the keys and negatives as constants (no gradient), as MoCo's momentum encoder and queue
   * are. Default true; set false for a symmetric InfoNCE where both sides are trained (CPC, CLIP).
   */
  stopGradientOnKeys?: boolean;
}

/**
 * InfoNCE as MoCo uses it (van den Oord et al. 2018, arXiv:1807.03748; He et al. 2020,
 * arXiv:1911.05722, eq. 1; MoCo v2, arXiv:2003.04297): queries and keys are L2-normalized; each
 * query's positive is its own key, its negatives the K rows of `negatives` (MoCo's queue):
 *
 *   ℓ_i = −log( exp(q_i·k_i/τ) / (exp(q_i·k_i/τ) + Σ_j exp(q_i·n_j/τ)) ),   loss = mean_i ℓ_i
 *
 * i.e. cross-entropy over the logits [q·k, q·nᵀ]/τ with target 0, via a max-shifted
 * log-sum-exp. With no negatives at all (an empty queue, no in-batch negatives) the loss is
 * exactly 0 with zero gradient — MoCo's official code avoids that first step by starting the
 * queue full of random unit keys: `new MemoryQueue(size, dim, { randomInit: rng })`.
 *
 * @param query `[N, D]` queries (gradient flows here).
 * @param positiveKey `[N, D]` keys, row i the positive of query i (constants by default).
 * @param negatives `[K, D]`, K ≥ 0, e.g. `queue.keys()` of a {@link MemoryQueue} (constants by default).
 * @returns the mean loss over the N queries, a scalar; the inputs are not disposed.
 * @example
 * const negatives = queue.keys();
 * const loss = infoNce(q, k, negatives, { temperature: 0.2 });
 * negatives.dispose();
 * queue.enqueue(k);
 * @throws on non-float32 or mismatched shapes, N < 2 with in-batch negatives, τ ≤ 0, or a
 *   NaN/infinite loss (naming the input at fault).
 */
export function infoNce(
  query: Tensor2D,
  positiveKey: Tensor2D,
  negatives: Tensor2D,
  options: InfoNceOptions = {},
): Scalar {
  expectSameMatrices('infoNce', [
    ['query', query],
    ['positiveKey', positiveKey],
  ]);
  expectMatrix('infoNce', 'negatives', negatives);
  if (negatives.shape[1] !== query.shape[1]) {
    throw new Error(`infoNce: negatives must be [K, ${query.shape[1]}] like query; got [${negatives.shape}]`);
  }
  const temperature = options.temperature ?? 0.2;
  expectPositive('infoNce', 'temperature', temperature);
  const inBatch = options.inBatchNegatives === true;
  if (inBatch) expectBatchAtLeast('infoNce', 'query', query, 2, 'in-batch negatives');
  else expectBatchAtLeast('infoNce', 'query', query, 1, 'one query');
  const normalized =
    options.stopGradientOnKeys === false
      ? (x: Tensor2D) => l2Normalize(x)
      : (x: Tensor2D) => withoutGradient(x, (value) => l2Normalize(value as Tensor2D));

  const loss = tf.tidy(() => {
    const q = l2Normalize(query);
    const k = normalized(positiveKey);
    const scaled = tf.div(q, temperature); // 1/τ on the [N, D] factor, not on the [N, K] logits
    const positive = tf.sum(tf.mul(scaled, k), 1, true);
    const parts = [inBatch ? tf.matMul(scaled, k, false, true) : positive];
    if (negatives.shape[0] > 0) parts.push(tf.matMul(scaled, normalized(negatives), false, true));
    const denominators = rowLogSumExp((parts.length === 1 ? parts[0] : tf.concat(parts, 1)) as Tensor2D);
    return tf.mean(tf.sub(denominators, tf.reshape(positive, [-1]))) as Scalar;
  });
  return options.checkFinite === false
    ? loss
    : finiteOrThrow('infoNce', loss, [
        ['query', query],
        ['positiveKey', positiveKey],
        ['negatives', negatives],
      ]);
}
