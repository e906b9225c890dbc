import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import type { MethodDeclaration } from './method-declaration.js';

/**
 * The defaults of `createSwav`, SwAV's (Caron et al. 2020, arXiv:2006.09882, and the official
 * batch-256 recipe of `main_swav.py`) where they fit small images, scaled down where they do not:
 * - temperature 0.1; Sinkhorn-Knopp with 3 iterations and ε = 0.05;
 * - a queue of 3840 past embeddings per global crop, filled from 15 % of the steps on and used once
 *   full (the recipe: 3840 from epoch 15 of 100), for batches too small to spread over the prototypes;
 * - prototypes frozen for the first 1 % of steps (the recipe: 5005 iterations, its first epoch);
 * - 512 prototypes (SwAV: 3000), projections of 128 (SwAV's), hidden width 2× the encoder's
 *   features (SwAV: 2048) — scaled to small encoders and datasets;
 * - views: 2 global crops (area 0.14–1) and 6 local crops (area 0.05–0.14), SwAV's counts and
 *   scales; both at the image's size (SwAV: 224 and 96 px), with DINO's color and blur recipe.
 */
export const SWAV_DEFAULTS = {
  temperature: 0.1,
  sinkhornIterations: 3,
  epsilon: 0.05,
  prototypes: 512,
  outputSize: 128,
  queueSize: 3840,
  queueStart: 0.15,
  freezePrototypes: 0.01,
  localCrops: 6,
  globalScale: [0.14, 1] as [number, number],
  localScale: [0.05, 0.14] as [number, number],
  hiddenSize: (featureSize: number) => 2 * featureSize,
};

const fraction = () => z.number().min(0).max(1);

const options = section({
  temperature: z.number().positive().default(SWAV_DEFAULTS.temperature).describe('softmax temperature over prototypes'),
  sinkhornIterations: z
    .number()
    .int()
    .min(0)
    .default(SWAV_DEFAULTS.sinkhornIterations)
    .describe('Sinkhorn-Knopp normalization rounds'),
  epsilon: z.number().positive().default(SWAV_DEFAULTS.epsilon).describe('entropic regularization of the codes'),
  prototypes: positiveInteger().default(SWAV_DEFAULTS.prototypes).describe('number of prototypes K'),
  hiddenSize: positiveInteger().optional().describe('projection hidden width; default 2× features'),
  outputSize: positiveInteger().default(SWAV_DEFAULTS.outputSize).describe('projection (and prototype) size'),
  queueSize: z
    .number()
    .int()
    .min(0)
    .default(SWAV_DEFAULTS.queueSize)
    .describe('past embeddings kept per global crop for the codes (0: no queue)'),
  queueStart: fraction()
    .default(SWAV_DEFAULTS.queueStart)
    .describe('fraction of the steps after which the queue fills'),
  freezePrototypes: fraction()
    .default(SWAV_DEFAULTS.freezePrototypes)
    .describe('fraction of the steps during which the prototypes are not trained'),
});

/**
 * `swav`: `createSwav` by id — 2 global views then any number of local ones; left to it,
 * multi-crop with SwAV's crop counts and scales at the images' size.
 */
export const swavDeclaration: MethodDeclaration = {
  id: 'swav',
  description: 'SwAV: swapped prediction of Sinkhorn-Knopp codes over prototypes, multi-crop (Caron et al. 2020)',
  views: 2,
  multiCrop: true,
  options,
  defaultAugmentations: (_channels, size) => ({
    preset: 'dino',
    options: {
      ...(size === undefined ? {} : { globalSize: size, localSize: size }),
      localCrops: SWAV_DEFAULTS.localCrops,
      globalScale: SWAV_DEFAULTS.globalScale,
      localScale: SWAV_DEFAULTS.localScale,
    },
  }),
  completeOptions: (o, encoder) => ({
    ...o,
    hiddenSize: o.hiddenSize ?? SWAV_DEFAULTS.hiddenSize(encoder.featureSize),
  }),
  create: async (o: z.output<typeof options>, { encoder, views, seed }) =>
    (await import('./swav.js')).createSwav({ encoder, views, seed, ...o }),
};
