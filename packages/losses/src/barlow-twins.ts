import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { checkFinite, expectBatchAtLeast, expectMatrix, expectSameShape } from './input-checks.js';
import { offDiagonal } from './off-diagonal.js';

export interface BarlowTwinsOptions {
  /** Weight λ of the redundancy-reduction term (default 5e-3; the paper's 0.0051). */
  lambda?: number;
  checkFinite?: boolean;
}

/** Per-dimension batch standardization as BatchNorm1d(affine=False) in training: biased variance, ε = 1e-5. */
function standardize(z: Tensor2D): Tensor2D {
  const { mean, variance } = tf.moments(z, 0);
  return tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, 1e-5))) as Tensor2D;
}

/**
 * Barlow Twins (Zbontar et al. 2021, arXiv:2103.03230), the official form: standardize each
 * dimension over the batch, take the cross-correlation c = z1ᵀ·z2 / N [D, D], and push it to the
 * identity:
 *
 *   L = Σ_i (1 − c_ii)² + λ·Σ_{i≠j} c_ij²
 *
 * @param z1 [N, D]; @param z2 [N, D] (N ≥ 2).
 */
export function barlowTwins(z1: Tensor2D, z2: Tensor2D, options: BarlowTwinsOptions = {}): Scalar {
  expectMatrix('barlowTwins', 'z1', z1);
  expectMatrix('barlowTwins', 'z2', z2);
  expectSameShape('barlowTwins', { z1, z2 });
  expectBatchAtLeast('barlowTwins', 'z1', z1, 2);
  const lambda = options.lambda ?? 5e-3;
  const loss = tf.tidy(() => {
    const c = tf.div(tf.matMul(standardize(z1), standardize(z2), true, false), z1.shape[0]) as Tensor2D;
    const diagonal = tf.sum(tf.mul(c, tf.eye(c.shape[0])), 1);
    const onDiagonal = tf.sum(tf.square(tf.sub(1, diagonal)));
    return tf.add(onDiagonal, tf.mul(tf.sum(tf.square(offDiagonal(c))), lambda)) as Scalar;
  });
  return options.checkFinite === false ? loss : checkFinite('barlowTwins', loss, { z1, z2 });
}
