import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { expectPositive, expectSameMatrices, finiteOrThrow } from './input-checks.js';
import type { LossOptions } from './loss-options.js';
import { sinkhornKnopp } from './sinkhorn-knopp.js';

/** Options of {@link swav}. */
export interface SwavOptions extends LossOptions {
  /** Temperature τ > 0 of the prototype softmax. Default 0.1. */
  temperature?: number;
  /** Sinkhorn-Knopp iterations. Default 3. */
  sinkhornIterations?: number;
  /** Entropic regularization ε of the codes. Default 0.05. */
  epsilon?: number;
  /**
   * Multi-crop: how many leading views get codes (SwAV's `crops_for_assign`, the global crops).
   * Default 2 (all views when fewer are given).
   */
  assignmentViews?: number;
}

/**
 * SwAV's swapped prediction loss (Caron et al. 2020, arXiv:2006.09882, eq. 1–3, and the official
 * `main_swav.py`): codes q = {@link sinkhornKnopp}(scores) of one view — constants, no gradient —
 * are the targets of the other views' softmax over prototypes, p = softmax(scores/τ):
 *
 *   two views:  L = ½·[ ℓ(q1, s2) + ℓ(q2, s1) ],   ℓ(q, s) = −mean_n Σ_k q_nk · log softmax(s_n/τ)_k
 *   multi-crop: L = mean over assignment views a of mean over views v ≠ a of ℓ(q_a, s_v).
 *
 * The scores are the (normalized) embeddings times the (normalized) prototypes; normalizing the
 * prototypes after each step and the SwAV queue for small batches are the training loop's part.
 *
 * @param scores1 `[B, K]` scores of view 1; @param scores2 `[B, K]` of view 2 (or the overload with all views).
 * @returns a scalar; inputs are not disposed.
 * @example const loss = swav(z1.matMul(prototypes), z2.matMul(prototypes), { temperature: 0.1 });
 * @throws when the views are not float32 `[B, K]` of one shape, fewer than two are given, an
 *   option is out of range, or the loss is NaN/Infinity.
 */
export function swav(scores1: Tensor2D, scores2: Tensor2D, options?: SwavOptions): Scalar;
/**
 * SwAV over V ≥ 2 crops (multi-crop): `views[v]` is `[B, K]`; the first `assignmentViews` (default
 * 2) get codes, each predicted from every other view.
 * @example const loss = swav([global1, global2, local1, local2], { assignmentViews: 2 });
 */
export function swav(views: readonly Tensor2D[], options?: SwavOptions): Scalar;
export function swav(
  first: Tensor2D | readonly Tensor2D[],
  second?: Tensor2D | SwavOptions,
  third?: SwavOptions,
): Scalar {
  const listed = Array.isArray(first);
  const views = (listed ? first : [first, second]) as Tensor2D[];
  const options = ((listed ? second : third) ?? {}) as SwavOptions;
  if (listed && second instanceof tf.Tensor) {
    throw new Error('swav: pass either swav(scores1, scores2, options) or swav([scores1, scores2, …], options)');
  }
  if (views.length < 2) throw new Error(`swav: needs at least two views; got ${views.length}`);
  const named = views.map((view, i) => [listed ? `views[${i}]` : `scores${i + 1}`, view] as const);
  expectSameMatrices('swav', named);
  const temperature = options.temperature ?? 0.1;
  expectPositive('swav', 'temperature', temperature);
  const assignments = Math.min(options.assignmentViews ?? 2, views.length);
  if (!(Number.isInteger(assignments) && assignments >= 1)) {
    throw new Error(`swav: assignmentViews must be a positive integer; got ${options.assignmentViews}`);
  }
  const sinkhorn = { iterations: options.sinkhornIterations ?? 3, epsilon: options.epsilon ?? 0.05 };

  const loss = tf.tidy(() => {
    const logPredictions = views.map((s) => tf.logSoftmax(tf.div(s, temperature)));
    const perAssignment = views.slice(0, assignments).map((assigned, a) => {
      const codes = sinkhornKnopp(assigned, sinkhorn);
      const terms = logPredictions
        .filter((_, v) => v !== a)
        .map((logP) => tf.neg(tf.mean(tf.sum(tf.mul(codes, logP), 1))));
      return tf.div(tf.addN(terms), terms.length);
    });
    return tf.div(tf.addN(perAssignment), assignments) as Scalar;
  });
  return options.checkFinite === false ? loss : finiteOrThrow('swav', loss, named);
}
