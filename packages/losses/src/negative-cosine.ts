import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { expectSameMatrices, finiteOrThrow } from './input-checks.js';
import { l2Normalize } from './l2-normalize.js';
import type { LossOptions } from './loss-options.js';
import { withoutGradient } from './without-gradient.js';

/** Options of {@link negativeCosine} and {@link symmetricNegativeCosine}. */
export interface NegativeCosineOptions extends LossOptions {
  /**
   * `simsiam` (default): D(p, z) = −mean_i cos(p_i, z_i), in [−1, 1] (Chen & He 2021,
   * arXiv:2011.10566, eq. 1). `byol`: mean_i ‖p̂_i − ẑ_i‖² = mean_i (2 − 2·cos(p_i, z_i)), in [0, 4]
   * (Grill et al. 2020, arXiv:2006.07733, eq. 2). Same gradient up to the factor 2.
   */
  form?: 'simsiam' | 'byol';
}

/**
 * The prediction loss of BYOL and SimSiam: the online prediction p should point where the target
 * projection z points. z is a constant — stop-gradient, exactly zero gradient — which is what
 * keeps these methods from collapsing. Zero vectors give cos = 0, not NaN.
 *
 * @param p `[N, D]` predictions (gradient flows here).
 * @param z `[N, D]` targets (no gradient flows into z).
 * @returns a scalar (see {@link NegativeCosineOptions.form} for its range); inputs are not disposed.
 * @example const loss = negativeCosine(p1, z2); // SimSiam's D(p1, z2)
 * @throws when p and z are not float32 `[N, D]` of one shape, or the loss is NaN/Infinity.
 */
export function negativeCosine(p: Tensor2D, z: Tensor2D, options: NegativeCosineOptions = {}): Scalar {
  const named = [
    ['p', p],
    ['z', z],
  ] as const;
  expectSameMatrices('negativeCosine', named);
  const form = options.form ?? 'simsiam';
  if (form !== 'simsiam' && form !== 'byol') {
    throw new Error(`negativeCosine: form must be 'simsiam' or 'byol'; got ${String(form)}`);
  }
  const loss = tf.tidy(() => {
    const target = withoutGradient(z, (value) => l2Normalize(value as Tensor2D)); // stop-gradient on z
    const cosine = tf.sum(tf.mul(l2Normalize(p), target), 1);
    return (form === 'byol' ? tf.mean(tf.sub(2, tf.mul(cosine, 2))) : tf.neg(tf.mean(cosine))) as Scalar;
  });
  return options.checkFinite === false ? loss : finiteOrThrow('negativeCosine', loss, named);
}
