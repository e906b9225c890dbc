import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { checkFinite, expectMatrix } from './input-checks.js';
import { l2Normalize } from './l2-normalize.js';
import { stopGradient } from './stop-gradient.js';

export interface InfoNceOptions {
  /** Temperature τ (MoCo v2: 0.2; MoCo v1: 0.07). Default 0.2. */
  temperature?: number;
  checkFinite?: boolean;
}

/**
 * InfoNCE as MoCo uses it (van den Oord et al. 2018; He et al. 2020, arXiv:1911.05722; MoCo v2,
 * arXiv:2003.04297): each query's positive is its own key, its negatives the K keys of the queue;
 * queries and keys are L2-normalized, keys and negatives are constants (no gradient):
 *
 *   ℓ_i = −log( exp(q_i·k_i/τ) / (exp(q_i·k_i/τ) + Σ_j exp(q_i·n_j/τ)) )
 *
 * @param query [N, D]; @param positiveKey [N, D]; @param negatives [K, D] (e.g. `MemoryQueue.keys()`).
 * @example const loss = infoNCE(q, k, queue.keys(), { temperature: 0.2 });
 */
export function infoNCE(
  query: Tensor2D,
  positiveKey: Tensor2D,
  negatives: Tensor2D,
  options: InfoNceOptions = {},
): Scalar {
  expectMatrix('infoNCE', 'query', query);
  expectMatrix('infoNCE', 'positiveKey', positiveKey);
  expectMatrix('infoNCE', 'negatives', negatives);
  if (query.shape.join() !== positiveKey.shape.join()) {
    throw new Error(
      `infoNCE: query and positiveKey must have the same shape; got [${query.shape}] and [${positiveKey.shape}]`,
    );
  }
  if (negatives.shape[1] !== query.shape[1]) {
    throw new Error(`infoNCE: negatives must be [K, ${query.shape[1]}]; got [${negatives.shape}]`);
  }
  const temperature = options.temperature ?? 0.2;
  const loss = tf.tidy(() => {
    const q = l2Normalize(query);
    const k = stopGradient(l2Normalize(positiveKey));
    const positive = tf.sum(tf.mul(q, k), 1, true);
    const parts = [positive];
    if (negatives.shape[0] > 0) parts.push(tf.matMul(q, stopGradient(l2Normalize(negatives)), false, true));
    const logits = tf.div(tf.concat(parts, 1), temperature);
    // Target 0 (the positive) for every query.
    return tf.neg(tf.mean(tf.slice(tf.logSoftmax(logits), [0, 0], [-1, 1]))) as Scalar;
  });
  return options.checkFinite === false ? loss : checkFinite('infoNCE', loss, { query, positiveKey, negatives });
}
