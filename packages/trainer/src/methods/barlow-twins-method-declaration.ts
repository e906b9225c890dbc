import { BARLOW_TWINS_DEFAULTS } from '@selfsup/losses/declarations';
import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type MethodDeclaration, simclrViews } from './method-declaration.js';

/** The defaults of `createBarlowTwins`: the loss's λ (`BARLOW_TWINS_DEFAULTS`), projections of 4× the encoder's features. */
export const BARLOW_TWINS_METHOD_DEFAULTS = {
  lambda: BARLOW_TWINS_DEFAULTS.lambda,
  projectionSize: (featureSize: number) => 4 * featureSize,
};

const options = section({
  lambda: z
    .number()
    .positive()
    .default(BARLOW_TWINS_METHOD_DEFAULTS.lambda)
    .describe('weight of the off-diagonal (redundancy) term'),
  projectionSize: positiveInteger().optional().describe('default 4× features'),
});

/** `barlow-twins`: `createBarlowTwins` by id. */
export const barlowTwinsMethodDeclaration: MethodDeclaration = {
  id: 'barlow-twins',
  description: 'Barlow Twins: cross-correlation towards the identity (Zbontar et al. 2021)',
  views: 2,
  options,
  defaultAugmentations: simclrViews,
  completeOptions: (o, encoder) => ({
    ...o,
    projectionSize: o.projectionSize ?? BARLOW_TWINS_METHOD_DEFAULTS.projectionSize(encoder.featureSize),
  }),
  create: async (o: z.output<typeof options>, { encoder, views, seed }) =>
    (await import('./barlow-twins-method.js')).createBarlowTwins({ encoder, views, seed, ...o }),
};
