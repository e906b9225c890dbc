import type { Scalar } from '@selfsup/backend';
import { z } from 'zod';
import { section } from '../config/schema-parts.js';
import type { LossEntry } from './entries.js';

/** `@selfsup/losses`, imported when a loss is made: listing and validating load no tfjs. */
const losses = () => import('@selfsup/losses');

/** VICReg's three weights: the `vicreg` loss's options, and the `vicreg` method's. */
export const vicregCoefficients = () => ({
  simCoeff: z.number().min(0).default(25).describe('weight of the invariance term (mean squared distance)'),
  stdCoeff: z.number().min(0).default(25).describe('weight of the variance term (hinge on each dimension’s std)'),
  covCoeff: z.number().min(0).default(1).describe('weight of the covariance term (off-diagonal covariances)'),
});

/** The view-pair losses of `@selfsup/losses`, by id (for methods that take a loss, e.g. `two-view`). */
export const builtinLosses: Record<string, LossEntry> = {
  'nt-xent': {
    description: 'NT-Xent, SimCLR’s contrastive loss over the 2N embeddings (Chen et al. 2020)',
    options: section({
      temperature: z.number().positive().default(0.5).describe('softmax temperature τ of the cosine similarities'),
    }),
    create: async (o) => {
      const { ntXent } = await losses();
      return (z1, z2) => ntXent(z1, z2, { temperature: o.temperature as number, checkFinite: false });
    },
  },
  'barlow-twins': {
    description: 'Barlow Twins: cross-correlation towards the identity (Zbontar et al. 2021)',
    options: section({ lambda: z.number().positive().default(5e-3).describe('weight of the off-diagonal term') }),
    create: async (o) => {
      const { barlowTwins } = await losses();
      return (z1, z2) => barlowTwins(z1, z2, { lambda: o.lambda as number, checkFinite: false });
    },
  },
  vicreg: {
    description: 'VICReg: invariance, variance and covariance terms (Bardes et al. 2022)',
    options: section(vicregCoefficients()),
    create: async (o) => {
      const { vicreg } = await losses();
      return (z1, z2) => {
        const terms = vicreg(z1, z2, {
          simCoeff: o.simCoeff as number,
          stdCoeff: o.stdCoeff as number,
          covCoeff: o.covCoeff as number,
          checkFinite: false,
        });
        // Inside the gradient function the engine frees the unused terms.
        return terms.loss as Scalar;
      };
    },
  },
};
