import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type MethodDeclaration, simclrViews } from './method-declaration.js';

/**
 * The defaults of `createNnclr`, NNCLR's (Dwibedi et al. 2021, arXiv:2104.14548) where they fit
 * small datasets, scaled down where they do not: temperature 0.1; a support set of 4096 past
 * projections (NNCLR: 98 304, more than a small dataset holds); a 3-layer projection MLP and a
 * 2-layer predictor with batch norm; outputs of 128 (NNCLR: 256) and hidden width 2× the encoder's
 * features (NNCLR: 2048 for the projector, 4096 for the predictor).
 */
export const NNCLR_DEFAULTS = {
  temperature: 0.1,
  supportSize: 4096,
  outputSize: 128,
  hiddenSize: (featureSize: number) => 2 * featureSize,
};

const options = section({
  temperature: z.number().positive().default(NNCLR_DEFAULTS.temperature).describe('softmax temperature τ'),
  supportSize: positiveInteger()
    .default(NNCLR_DEFAULTS.supportSize)
    .describe('past projections the nearest neighbours are drawn from'),
  hiddenSize: positiveInteger().optional().describe('projector/predictor hidden width; default 2× features'),
  outputSize: positiveInteger().default(NNCLR_DEFAULTS.outputSize).describe('projection and prediction size'),
});

/** `nnclr`: `createNnclr` by id. */
export const nnclrDeclaration: MethodDeclaration = {
  id: 'nnclr',
  description:
    'NNCLR: the nearest neighbour in a support set of past projections as the positive (Dwibedi et al. 2021)',
  views: 2,
  options,
  defaultAugmentations: simclrViews,
  completeOptions: (o, encoder) => ({
    ...o,
    hiddenSize: o.hiddenSize ?? NNCLR_DEFAULTS.hiddenSize(encoder.featureSize),
  }),
  create: async (o: z.output<typeof options>, { encoder, views, seed }) =>
    (await import('./nnclr.js')).createNnclr({ encoder, views, seed, ...o }),
};
