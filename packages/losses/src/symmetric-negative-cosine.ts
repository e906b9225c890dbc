import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { expectSameMatrices, finiteOrThrow } from './input-checks.js';
import { type NegativeCosineOptions, negativeCosine } from './negative-cosine.js';

/**
 * The symmetrized prediction loss of two views, each as its paper writes it:
 * - `simsiam` (default): L = ½·D(p1, z2) + ½·D(p2, z1) (Chen & He 2021, arXiv:2011.10566, eq. 2), in [−1, 1];
 * - `byol`: L = ℓ(p1, z2) + ℓ(p2, z1), the sum (Grill et al. 2020, arXiv:2006.07733: L^BYOL = L + L̃), in [0, 8].
 * Targets z1, z2 get no gradient.
 *
 * @param p1 `[N, D]` prediction from view 1; @param z1 `[N, D]` target projection of view 1.
 * @param p2 `[N, D]` prediction from view 2; @param z2 `[N, D]` target projection of view 2.
 * @returns a scalar; inputs are not disposed.
 * @example const loss = symmetricNegativeCosine(p1, z1, p2, z2, { form: 'byol' });
 * @throws when the four inputs are not float32 `[N, D]` of one shape, or the loss is NaN/Infinity.
 */
export function symmetricNegativeCosine(
  p1: Tensor2D,
  z1: Tensor2D,
  p2: Tensor2D,
  z2: Tensor2D,
  options: NegativeCosineOptions = {},
): Scalar {
  const named = [
    ['p1', p1],
    ['z1', z1],
    ['p2', p2],
    ['z2', z2],
  ] as const;
  expectSameMatrices('symmetricNegativeCosine', named);
  const inner = { ...options, checkFinite: false };
  const loss = tf.tidy(() => {
    const first = negativeCosine(p1, z2, inner);
    const second = negativeCosine(p2, z1, inner);
    const sum = tf.add(first, second) as Scalar;
    return (options.form === 'byol' ? sum : tf.mul(sum, 0.5)) as Scalar;
  });
  return options.checkFinite === false ? loss : finiteOrThrow('symmetricNegativeCosine', loss, named);
}
