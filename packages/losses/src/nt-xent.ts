import { rowLogSumExp, type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { expectBatchAtLeast, expectPositive, expectSameMatrices, finiteOrThrow } from './input-checks.js';
import { l2Normalize } from './l2-normalize.js';
import type { LossOptions } from './loss-options.js';
import { NT_XENT_DEFAULTS } from './nt-xent-declaration.js';

/** Options of {@link ntXent}. */
export interface NtXentOptions extends LossOptions {
  /** Temperature τ > 0 of the softmax over cosine similarities. Default: {@link NT_XENT_DEFAULTS}. */
  temperature?: number;
}

/** Rows i → rows (i + shift) mod M. */
function rollRows(z: Tensor2D, shift: number): Tensor2D {
  const rows = z.shape[0];
  return tf.concat([tf.slice(z, [shift, 0], [rows - shift, -1]), tf.slice(z, [0, 0], [shift, -1])], 0) as Tensor2D;
}

/**
 * NT-Xent, SimCLR's normalized-temperature cross-entropy (Chen et al. 2020, arXiv:2002.05709,
 * eq. 1). The V views of N samples give M = V·N embeddings, L2-normalized; every one is an anchor
 * whose candidates are the M − 1 others (its own similarity masked out) and whose positives P(i)
 * are the other views of the same sample:
 *
 *   ℓ_i = −(1/|P(i)|) Σ_{p∈P(i)} log( exp(s_ip/τ) / Σ_{k≠i} exp(s_ik/τ) ),  s = cosine similarity,
 *   loss = (1/M) Σ_i ℓ_i.
 *
 * With two views this is SimCLR's loss over 2N samples exactly: on the golden inputs it matches
 * PyTorch's float64 reference (`F.cross_entropy` over the masked similarity matrix) within 1e-7,
 * gradients included (tested to 1e-5). With more views it is SupCon with labels = sample index
 * (see {@link supCon}). Computed with a max-shifted log-sum-exp: finite for zero vectors,
 * identical or opposite views and temperatures like 0.05; time and memory grow as M².
 *
 * @param z1 `[N, D]` embeddings of the first view (N ≥ 2); or, in the other overload, the views.
 * @param z2 `[N, D]` embeddings of the second view, row i the same sample as row i of `z1`.
 * @returns the mean loss over the M anchors, a scalar tensor; the inputs are not disposed.
 * @example
 * const loss = ntXent(z1, z2, { temperature: 0.5 });
 * const threeViews = ntXent([z1, z2, z3], { temperature: 0.2 });
 * @throws when a view is not float32 `[N, D]`, the views differ in shape, N < 2, fewer than two
 *   views are given, τ is not positive, or the loss is NaN/Infinity (naming the input at fault).
 */
export function ntXent(z1: Tensor2D, z2: Tensor2D, options?: NtXentOptions): Scalar;
/**
 * NT-Xent over V ≥ 2 views: `views[v]` is `[N, D]`, row i of every view the same sample; each
 * anchor's positives are its V − 1 other views.
 * @example const loss = ntXent([z1, z2, z3], { temperature: 0.2 });
 */
export function ntXent(views: readonly Tensor2D[], options?: NtXentOptions): Scalar;
export function ntXent(
  first: Tensor2D | readonly Tensor2D[],
  second?: Tensor2D | NtXentOptions,
  third?: NtXentOptions,
): Scalar {
  const listed = Array.isArray(first);
  const views = (listed ? first : [first, second]) as Tensor2D[];
  const options = ((listed ? second : third) ?? {}) as NtXentOptions;
  if (listed && second instanceof tf.Tensor) {
    throw new Error('ntXent: pass either ntXent(z1, z2, options) or ntXent([z1, z2, …], options)');
  }
  if (views.length < 2) throw new Error(`ntXent: needs at least two views; got ${views.length}`);
  const named = views.map((view, i) => [listed ? `views[${i}]` : `z${i + 1}`, view] as const);
  expectSameMatrices('ntXent', named);
  expectBatchAtLeast('ntXent', named[0]?.[0] as string, views[0] as Tensor2D, 2, 'a sample needs negatives');
  const temperature = options.temperature ?? NT_XENT_DEFAULTS.temperature;
  expectPositive('ntXent', 'temperature', temperature);

  const count = views.length;
  const batch = (views[0] as Tensor2D).shape[0];
  const loss = tf.tidy(() => {
    const z = l2Normalize(tf.concat(views, 0) as Tensor2D);
    // 1/τ applied to one [M, D] factor rather than to the [M, M] product: the same logits, two
    // fewer passes over the big matrix (forward and backward).
    const logits = tf.matMul(tf.div(z, temperature), z, false, true) as Tensor2D;
    const denominators = rowLogSumExp(logits, { bound: 1 / temperature });
    // Positive logits without an [M, M] mask: view v of sample i sits at row v·N + i, so the
    // other views of every row are the rows N, 2N, … further on (mod M).
    const shifts = Array.from({ length: count - 1 }, (_, k) => (k + 1) * batch);
    const positiveSimilarity = tf.addN(shifts.map((shift) => tf.sum(tf.mul(z, rollRows(z, shift)), 1)));
    const positiveLogits = tf.div(positiveSimilarity, temperature * (count - 1));
    return tf.mean(tf.sub(denominators, positiveLogits)) as Scalar;
  });
  return options.checkFinite === false ? loss : finiteOrThrow('ntXent', loss, named);
}
