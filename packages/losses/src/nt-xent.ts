import { type Scalar, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { checkFinite, expectBatchAtLeast, expectMatrix, expectSameShape } from './input-checks.js';
import { l2Normalize } from './l2-normalize.js';

export interface NtXentOptions {
  /** Softmax temperature τ (SimCLR: 0.5 for CIFAR-size batches, 0.1 for large ones). Default 0.5. */
  temperature?: number;
  /** Throw on a NaN/infinite loss, naming the input (default true; costs one scalar read). */
  checkFinite?: boolean;
}

/**
 * NT-Xent, SimCLR's normalized-temperature cross-entropy (Chen et al. 2020, arXiv:2002.05709).
 * The V views of N samples give V·N anchors; each compares, by cosine similarity / τ, to the other
 * V·N − 1 embeddings (its own similarity masked out), and its positives are the other views of the
 * same sample:
 *
 *   ℓ_i = −(1/|P(i)|) Σ_{p∈P(i)} log( exp(s_ip/τ) / Σ_{k≠i} exp(s_ik/τ) ),   loss = mean_i ℓ_i
 *
 * With two views this is SimCLR's 2N-sample loss exactly (it matches PyTorch's reference to 1e-6).
 *
 * @param views `ntXent(z1, z2, options)` or `ntXent([z1, z2, …], options)`; each [N, D].
 * @example const loss = ntXent(z1, z2, { temperature: 0.5 });
 * @throws for fewer than two views, mismatched shapes, a batch under 1, or a non-finite loss.
 */
export function ntXent(
  first: Tensor2D | Tensor2D[],
  second?: Tensor2D | NtXentOptions,
  options: NtXentOptions = {},
): Scalar {
  const views = Array.isArray(first) ? first : [first, second as Tensor2D];
  const opts = Array.isArray(first) ? ((second as NtXentOptions | undefined) ?? {}) : options;
  if (views.length < 2 || views.some((v) => v === undefined))
    throw new Error(`ntXent: needs at least two views; got ${views.length}`);
  const named = Object.fromEntries(views.map((v, i) => [`z${i + 1}`, v])) as Record<string, Tensor>;
  for (const [name, v] of Object.entries(named)) expectMatrix('ntXent', name, v);
  expectSameShape('ntXent', named);
  expectBatchAtLeast('ntXent', 'z1', views[0] as Tensor, 1);
  const temperature = opts.temperature ?? 0.5;
  if (!(temperature > 0)) throw new Error(`ntXent: temperature must be positive, got ${temperature}`);
  const n = (views[0] as Tensor2D).shape[0];
  const total = n * views.length;
  const loss = tf.tidy(() => {
    const z = l2Normalize(tf.concat(views, 0) as Tensor2D);
    const logits = tf.div(tf.matMul(z, z, false, true), temperature);
    const self = tf.eye(total);
    // Self-similarity removed from the softmax: a large negative logit (exp underflows to 0).
    const logProbabilities = tf.logSoftmax(tf.sub(logits, tf.mul(self, 1e9)));
    // Positives: same sample index (row mod n), not self.
    const sample = tf.mod(tf.range(0, total, 1, 'int32'), n);
    const positives = tf.sub(tf.cast(tf.equal(tf.expandDims(sample, 1), tf.expandDims(sample, 0)), 'float32'), self);
    const perAnchor = tf.div(tf.sum(tf.mul(positives, logProbabilities), 1), views.length - 1);
    return tf.neg(tf.mean(perAnchor)) as Scalar;
  });
  return opts.checkFinite === false ? loss : checkFinite('ntXent', loss, named);
}
