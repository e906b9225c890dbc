import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type MethodDeclaration, simclrViews } from './method-declaration.js';
import { completeProjection } from './simclr-declaration.js';

/**
 * The defaults of `createMocoV2`: temperature 0.2 (MoCo v2's), a queue of 4096 keys (MoCo: 65 536;
 * fewer suit small datasets), key-encoder momentum 0.99 (MoCo: 0.999; lower suits short runs), no
 * cosine rise, projections to 128 (hidden: the encoder's feature size), 2 shuffled-BN groups.
 */
export const MOCO_V2_DEFAULTS = {
  temperature: 0.2,
  queueSize: 4096,
  momentum: 0.99,
  cosineMomentum: false,
  projection: { outputSize: 128, hiddenSize: (featureSize: number) => featureSize },
  shuffleGroups: 2,
};

const options = section({
  temperature: z.number().positive().default(MOCO_V2_DEFAULTS.temperature).describe('InfoNCE softmax temperature τ'),
  queueSize: positiveInteger().default(MOCO_V2_DEFAULTS.queueSize).describe('negative keys kept from past batches'),
  momentum: z
    .number()
    .min(0)
    .max(1)
    .default(MOCO_V2_DEFAULTS.momentum)
    .describe('EMA rate of the key encoder (MoCo: 0.999)'),
  cosineMomentum: z.boolean().default(MOCO_V2_DEFAULTS.cosineMomentum).describe('raise the momentum to 1 by a cosine'),
  projection: section({
    hiddenSize: positiveInteger().optional().describe('default: the encoder’s feature size'),
    outputSize: positiveInteger().default(MOCO_V2_DEFAULTS.projection.outputSize).describe('key and query size'),
  })
    .prefault({})
    .describe('the projection MLP on both encoders'),
  shuffleGroups: positiveInteger().default(MOCO_V2_DEFAULTS.shuffleGroups).describe('shuffled-BN groups'),
});

/** `moco-v2`: `createMocoV2` by id. */
export const mocoV2Declaration: MethodDeclaration = {
  id: 'moco-v2',
  description: 'MoCo v2: momentum key encoder, queue of negatives, InfoNCE (Chen et al. 2020)',
  views: 2,
  options,
  defaultAugmentations: simclrViews,
  completeOptions: completeProjection,
  create: async (o: z.output<typeof options>, { encoder, views, seed }) =>
    (await import('./moco-v2.js')).createMocoV2({ encoder, views, seed, ...o }),
};
