import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { checkFinite, expectBatchAtLeast, expectMatrix, expectSameShape } from './input-checks.js';
import { offDiagonal } from './off-diagonal.js';

export interface VicregOptions {
  /** Invariance weight λ (default 25). */
  simCoeff?: number;
  /** Variance weight μ (default 25). */
  stdCoeff?: number;
  /** Covariance weight ν (default 1). */
  covCoeff?: number;
  checkFinite?: boolean;
}

/** The loss and its three terms (unweighted), each a scalar. */
export interface VicregLoss {
  loss: Scalar;
  invariance: Scalar;
  variance: Scalar;
  covariance: Scalar;
}

/**
 * VICReg (Bardes, Ponce & LeCun 2022, arXiv:2105.04906), the official form:
 * invariance = MSE(z1, z2) (mean over N·D); variance = Σ_branches mean_d relu(1 − √(Var_d + 1e-4)) / 2
 * (unbiased variance); covariance = Σ_branches Σ_{i≠j} Cov_ij² / D with Cov = z̄ᵀz̄/(N−1);
 * loss = λ·invariance + μ·variance + ν·covariance.
 *
 * @returns the weighted loss and the three unweighted terms (all scalars; dispose them).
 */
export function vicreg(z1: Tensor2D, z2: Tensor2D, options: VicregOptions = {}): VicregLoss {
  expectMatrix('vicreg', 'z1', z1);
  expectMatrix('vicreg', 'z2', z2);
  expectSameShape('vicreg', { z1, z2 });
  expectBatchAtLeast('vicreg', 'z1', z1, 2);
  const [n, d] = z1.shape;
  const terms = tf.tidy(() => {
    const invariance = tf.mean(tf.square(tf.sub(z1, z2))) as Scalar;
    const varianceTerm = (z: Tensor2D) => {
      const centered = tf.sub(z, tf.mean(z, 0));
      const std = tf.sqrt(tf.add(tf.div(tf.sum(tf.square(centered), 0), n - 1), 1e-4));
      return tf.div(tf.mean(tf.relu(tf.sub(1, std))), 2);
    };
    const covarianceTerm = (z: Tensor2D) => {
      const centered = tf.sub(z, tf.mean(z, 0)) as Tensor2D;
      const cov = tf.div(tf.matMul(centered, centered, true, false), n - 1) as Tensor2D;
      return tf.div(tf.sum(tf.square(offDiagonal(cov))), d);
    };
    const variance = tf.add(varianceTerm(z1), varianceTerm(z2)) as Scalar;
    const covariance = tf.add(covarianceTerm(z1), covarianceTerm(z2)) as Scalar;
    const loss = tf.addN([
      tf.mul(invariance, options.simCoeff ?? 25),
      tf.mul(variance, options.stdCoeff ?? 25),
      tf.mul(covariance, options.covCoeff ?? 1),
    ]) as Scalar;
    return { loss, invariance, variance, covariance };
  });
  if (options.checkFinite !== false) {
    try {
      checkFinite('vicreg', terms.loss, { z1, z2 });
    } catch (error) {
      tf.dispose([terms.invariance, terms.variance, terms.covariance]);
      throw error;
    }
  }
  return terms;
}
