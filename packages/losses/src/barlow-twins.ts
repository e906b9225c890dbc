import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { BARLOW_TWINS_DEFAULTS } from './barlow-twins-declaration.js';
import { expectBatchAtLeast, expectFinite, expectSameMatrices, finiteOrThrow } from './input-checks.js';
import type { LossOptions } from './loss-options.js';
import { offDiagonal } from './off-diagonal.js';

/** Options of {@link barlowTwins}. */
export interface BarlowTwinsOptions extends LossOptions {
  /** Weight λ of the redundancy-reduction (off-diagonal) term. Default: {@link BARLOW_TWINS_DEFAULTS}. */
  lambda?: number;
}

/** Batch standardization per dimension, as `BatchNorm1d(affine=False)` in training mode: biased variance, ε = 1e-5. */
function standardize(z: Tensor2D): Tensor2D {
  const { mean, variance } = tf.moments(z, 0);
  return tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, 1e-5))) as Tensor2D;
}

/**
 * Barlow Twins (Zbontar et al. 2021, arXiv:2103.03230, eq. 1 and the official code): each
 * dimension of each view is standardized over the batch — mean 0, **biased** variance (÷N) plus
 * ε = 1e-5 under the square root, exactly `nn.BatchNorm1d(D, affine=False)` in training mode —
 * then the cross-correlation C = ẑ1ᵀẑ2 / N `[D, D]` is pushed to the identity:
 *
 *   L = Σ_i (1 − C_ii)² + λ·Σ_{i≠j} C_ij²
 *
 * Not normalized by D (its value grows with D: D for collapsed embeddings). A constant dimension
 * standardizes to 0 (no NaN).
 *
 * @param z1 `[N, D]` embeddings of view 1, N ≥ 2; @param z2 `[N, D]` of view 2.
 * @returns a scalar; inputs are not disposed.
 * @example const loss = barlowTwins(z1, z2, { lambda: 5e-3 });
 * @throws when z1 and z2 are not float32 `[N, D]` of one shape, N < 2, λ is not finite, or the
 *   loss is NaN/Infinity.
 */
export function barlowTwins(z1: Tensor2D, z2: Tensor2D, options: BarlowTwinsOptions = {}): Scalar {
  const named = [
    ['z1', z1],
    ['z2', z2],
  ] as const;
  expectSameMatrices('barlowTwins', named);
  expectBatchAtLeast('barlowTwins', 'z1', z1, 2, 'batch statistics');
  const lambda = options.lambda ?? BARLOW_TWINS_DEFAULTS.lambda;
  expectFinite('barlowTwins', 'lambda', lambda);
  const loss = tf.tidy(() => {
    const a = standardize(z1);
    const b = standardize(z2);
    const c = tf.div(tf.matMul(a, b, true, false), z1.shape[0]) as Tensor2D;
    const diagonal = tf.div(tf.sum(tf.mul(a, b), 0), z1.shape[0]); // C_ii without building the eye
    const onDiagonal = tf.sum(tf.square(tf.sub(1, diagonal)));
    return tf.add(onDiagonal, tf.mul(tf.sum(tf.square(offDiagonal(c))), lambda)) as Scalar;
  });
  return options.checkFinite === false ? loss : finiteOrThrow('barlowTwins', loss, named);
}
