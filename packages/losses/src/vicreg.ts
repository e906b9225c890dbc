import { type Tensor2D, tf } from '@selfsup/backend';
import { expectBatchAtLeast, expectFinite, expectSameMatrices, finiteOrThrow } from './input-checks.js';
import type { LossOptions } from './loss-options.js';
import type { LossTerms } from './loss-terms.js';
import { offDiagonal } from './off-diagonal.js';
import { VICREG_DEFAULTS } from './vicreg-declaration.js';

/** Options of {@link vicreg}. */
export interface VicregOptions extends LossOptions {
  /** Weight λ of the invariance term. Default: {@link VICREG_DEFAULTS}. */
  simCoeff?: number;
  /** Weight μ of the variance term. Default: {@link VICREG_DEFAULTS}. */
  stdCoeff?: number;
  /** Weight ν of the covariance term. Default: {@link VICREG_DEFAULTS}. */
  covCoeff?: number;
}

/** What {@link vicreg} returns: the weighted loss and its three unweighted terms, all scalars the caller owns. */
export type VicregLoss = LossTerms<'invariance' | 'variance' | 'covariance'>;

/**
 * VICReg (Bardes, Ponce & LeCun 2022, arXiv:2105.04906, eq. 1–6, and the official code):
 * - invariance s = MSE(z1, z2), the mean over N·D;
 * - variance v = Σ_{z∈{z1,z2}} ½·mean_d relu(1 − √(Var_d(z) + 1e-4)), **unbiased** variance (÷(N − 1)), ε = 1e-4;
 * - covariance c = Σ_{z∈{z1,z2}} Σ_{i≠j} Cov(z)_ij² / D, Cov = z̄ᵀz̄ / (N − 1) with z̄ centred per dimension;
 * - loss = λ·s + μ·v + ν·c.
 * Collapsed embeddings give v = 1 − √1e-4 = 0.99 (finite, with a finite gradient).
 *
 * @param z1 `[N, D]` embeddings of view 1, N ≥ 2; @param z2 `[N, D]` of view 2.
 * @returns `{ loss, invariance, variance, covariance }` ({@link LossTerms}): four scalars the
 *   caller disposes (inside a gradient function, return `.loss`; the engine frees the rest).
 * @example
 * const { loss, invariance, variance, covariance } = vicreg(z1, z2, { simCoeff: 25, stdCoeff: 25, covCoeff: 1 });
 * @throws when z1 and z2 are not float32 `[N, D]` of one shape, N < 2, a coefficient is not
 *   finite, or the loss is NaN/Infinity.
 */
export function vicreg(z1: Tensor2D, z2: Tensor2D, options: VicregOptions = {}): VicregLoss {
  const named = [
    ['z1', z1],
    ['z2', z2],
  ] as const;
  expectSameMatrices('vicreg', named);
  expectBatchAtLeast('vicreg', 'z1', z1, 2, 'unbiased variance');
  const simCoeff = options.simCoeff ?? VICREG_DEFAULTS.simCoeff;
  const stdCoeff = options.stdCoeff ?? VICREG_DEFAULTS.stdCoeff;
  const covCoeff = options.covCoeff ?? VICREG_DEFAULTS.covCoeff;
  expectFinite('vicreg', 'simCoeff', simCoeff);
  expectFinite('vicreg', 'stdCoeff', stdCoeff);
  expectFinite('vicreg', 'covCoeff', covCoeff);
  const [n, d] = z1.shape;
  const terms = tf.tidy(() => {
    const invariance = tf.mean(tf.squaredDifference(z1, z2));
    const branch = (z: Tensor2D) => {
      const centered = tf.sub(z, tf.mean(z, 0)) as Tensor2D;
      const std = tf.sqrt(tf.add(tf.div(tf.sum(tf.square(centered), 0), n - 1), 1e-4));
      const covarianceMatrix = tf.div(tf.matMul(centered, centered, true, false), n - 1) as Tensor2D;
      return {
        variance: tf.div(tf.mean(tf.relu(tf.sub(1, std))), 2),
        covariance: tf.div(tf.sum(tf.square(offDiagonal(covarianceMatrix))), d),
      };
    };
    const first = branch(z1);
    const second = branch(z2);
    const variance = tf.add(first.variance, second.variance);
    const covariance = tf.add(first.covariance, second.covariance);
    const loss = tf.addN([tf.mul(invariance, simCoeff), tf.mul(variance, stdCoeff), tf.mul(covariance, covCoeff)]);
    return { loss, invariance, variance, covariance } as VicregLoss;
  });
  if (options.checkFinite !== false) {
    try {
      finiteOrThrow('vicreg', terms.loss, named);
    } catch (error) {
      tf.dispose([terms.invariance, terms.variance, terms.covariance]);
      throw error;
    }
  }
  return terms;
}
