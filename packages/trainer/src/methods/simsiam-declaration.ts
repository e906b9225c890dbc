import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type MethodDeclaration, simclrViews } from './method-declaration.js';

/**
 * The defaults of `createSimsiam`, from the encoder's feature size: projections of 2× the features
 * (SimSiam: 2048) and a predictor bottleneck of a quarter of that (SimSiam: 512).
 */
export const SIMSIAM_DEFAULTS = {
  projectionSize: (featureSize: number) => 2 * featureSize,
  predictorHiddenSize: (projectionSize: number) => Math.max(1, Math.round(projectionSize / 4)),
};

const options = section({
  projectionSize: positiveInteger().optional().describe('default 2× features'),
  predictorHiddenSize: positiveInteger().optional().describe('default projectionSize / 4'),
});

/** `simsiam`: `createSimsiam` by id. */
export const simsiamDeclaration: MethodDeclaration = {
  id: 'simsiam',
  description: 'SimSiam: stop-gradient, no negatives (Chen & He 2021)',
  views: 2,
  options,
  defaultAugmentations: simclrViews,
  completeOptions: (o, encoder) => {
    const projectionSize =
      (o.projectionSize as number | undefined) ?? SIMSIAM_DEFAULTS.projectionSize(encoder.featureSize);
    return {
      ...o,
      projectionSize,
      predictorHiddenSize: o.predictorHiddenSize ?? SIMSIAM_DEFAULTS.predictorHiddenSize(projectionSize),
    };
  },
  create: async (o: z.output<typeof options>, { encoder, views, seed }) =>
    (await import('./simsiam.js')).createSimsiam({ encoder, views, seed, ...o }),
};
