import type { Scalar } from '@selfsup/backend';
import { section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import type { LossDeclaration } from './loss-declaration.js';

/** The defaults of `vicreg`: λ = 25, μ = 25, ν = 1 (the paper's). */
export const VICREG_DEFAULTS = { simCoeff: 25, stdCoeff: 25, covCoeff: 1 } as const;

/**
 * VICReg's three weights as schema fields, defaults from {@link VICREG_DEFAULTS}: the `vicreg`
 * loss's options, and part of the `vicreg` method's (`@selfsup/trainer`).
 */
export const vicregCoefficientOptions = () => ({
  simCoeff: z
    .number()
    .min(0)
    .default(VICREG_DEFAULTS.simCoeff)
    .describe('weight of the invariance term (mean squared distance)'),
  stdCoeff: z
    .number()
    .min(0)
    .default(VICREG_DEFAULTS.stdCoeff)
    .describe('weight of the variance term (hinge on each dimension’s std)'),
  covCoeff: z
    .number()
    .min(0)
    .default(VICREG_DEFAULTS.covCoeff)
    .describe('weight of the covariance term (off-diagonal covariances)'),
});

const options = section(vicregCoefficientOptions());

/**
 * `vicreg`: the weighted `vicreg` loss as a view-pair loss (Bardes et al. 2022, arXiv:2105.04906).
 *
 * @example const loss = await vicregDeclaration.create({ simCoeff: 25, stdCoeff: 25, covCoeff: 1 });
 */
export const vicregDeclaration: LossDeclaration = {
  id: 'vicreg',
  description: 'VICReg: invariance, variance and covariance terms (Bardes et al. 2022)',
  options,
  create: async (o: z.output<typeof options>) => {
    const { vicreg } = await import('./vicreg.js');
    // Inside the gradient function the engine frees the unused terms.
    return (z1, z2) => vicreg(z1, z2, { ...o, checkFinite: false }).loss as Scalar;
  },
};
