import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { checkFinite, expectMatrix, expectSameShape } from './input-checks.js';
import { l2Normalize } from './l2-normalize.js';
import { stopGradient } from './stop-gradient.js';

export interface NegativeCosineOptions {
  /**
   * `simsiam`: −mean cos(p, z) (Chen & He 2021, arXiv:2011.10566), in [−1, 1];
   * `byol`: mean(2 − 2·cos(p, z)) (Grill et al. 2020), in [0, 4]. Same gradient up to a factor 2.
   */
  form?: 'simsiam' | 'byol';
  checkFinite?: boolean;
}

/**
 * The prediction loss of BYOL and SimSiam: the predictor output p should point where the target
 * projection z points; z is a constant (stop-gradient), which is what keeps these methods from
 * collapsing.
 * @param p [N, D] predictions; @param z [N, D] targets (no gradient flows into z).
 */
export function negativeCosine(p: Tensor2D, z: Tensor2D, options: NegativeCosineOptions = {}): Scalar {
  expectMatrix('negativeCosine', 'p', p);
  expectMatrix('negativeCosine', 'z', z);
  expectSameShape('negativeCosine', { p, z });
  const loss = tf.tidy(() => {
    const cosine = tf.sum(tf.mul(l2Normalize(p), l2Normalize(stopGradient(z))), 1);
    return (options.form === 'byol' ? tf.mean(tf.sub(2, tf.mul(cosine, 2))) : tf.neg(tf.mean(cosine))) as Scalar;
  });
  return options.checkFinite === false ? loss : checkFinite('negativeCosine', loss, { p, z });
}

/**
 * The symmetrized loss of two views: ½·L(p1, z2) + ½·L(p2, z1).
 * @example const loss = symmetricNegativeCosine(p1, z1, p2, z2, { form: 'byol' });
 */
export function symmetricNegativeCosine(
  p1: Tensor2D,
  z1: Tensor2D,
  p2: Tensor2D,
  z2: Tensor2D,
  options: NegativeCosineOptions = {},
): Scalar {
  return tf.tidy(() => tf.mul(tf.add(negativeCosine(p1, z2, options), negativeCosine(p2, z1, options)), 0.5) as Scalar);
}
