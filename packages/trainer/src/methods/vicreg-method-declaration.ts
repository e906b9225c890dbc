import { VICREG_DEFAULTS, vicregCoefficientOptions } from '@selfsup/losses/declarations';
import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type MethodDeclaration, simclrViews } from './method-declaration.js';

/** The defaults of `createVicreg`: the loss's coefficients (`VICREG_DEFAULTS`), projections of 4× the encoder's features. */
export const VICREG_METHOD_DEFAULTS = {
  ...VICREG_DEFAULTS,
  projectionSize: (featureSize: number) => 4 * featureSize,
};

const options = section({
  ...vicregCoefficientOptions(),
  projectionSize: positiveInteger().optional().describe('default 4× features'),
});

/** `vicreg`: `createVicreg` by id. */
export const vicregMethodDeclaration: MethodDeclaration = {
  id: 'vicreg',
  description: 'VICReg: variance, invariance, covariance (Bardes et al. 2022)',
  views: 2,
  options,
  defaultAugmentations: simclrViews,
  completeOptions: (o, encoder) => ({
    ...o,
    projectionSize: o.projectionSize ?? VICREG_METHOD_DEFAULTS.projectionSize(encoder.featureSize),
  }),
  create: async (o: z.output<typeof options>, { encoder, views, seed }) =>
    (await import('./vicreg-method.js')).createVicreg({ encoder, views, seed, ...o }),
};
