import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type MethodDeclaration, simclrViews } from './method-declaration.js';

/**
 * The defaults of `createByol`: base target momentum 0.996 (BYOL's, rising to 1 by a cosine),
 * projections and predictions of 64 (BYOL: 256), hidden width 2× the encoder's features (BYOL: 4096).
 */
export const BYOL_DEFAULTS = {
  momentum: 0.996,
  outputSize: 64,
  hiddenSize: (featureSize: number) => 2 * featureSize,
};

const options = section({
  momentum: z
    .number()
    .min(0)
    .max(1)
    .default(BYOL_DEFAULTS.momentum)
    .describe('base EMA rate τ of the target, rising to 1 by a cosine'),
  hiddenSize: positiveInteger().optional().describe('projector/predictor hidden size; default 2× features'),
  outputSize: positiveInteger().default(BYOL_DEFAULTS.outputSize).describe('projection and prediction size'),
});

/** `byol`: `createByol` by id; its views, left to it, are BYOL's asymmetric pair for RGB. */
export const byolDeclaration: MethodDeclaration = {
  id: 'byol',
  description: 'BYOL: online predictor against an EMA target (Grill et al. 2020)',
  views: 2,
  options,
  defaultAugmentations: (channels) => (channels === 1 ? simclrViews(1) : { preset: 'byol' }),
  completeOptions: (o, encoder) => ({
    ...o,
    hiddenSize: o.hiddenSize ?? BYOL_DEFAULTS.hiddenSize(encoder.featureSize),
  }),
  create: async (o: z.output<typeof options>, { encoder, views, seed }) =>
    (await import('./byol.js')).createByol({ encoder, views, seed, ...o }),
};
