import { imageSize, numberRange, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import type { AugmentationDeclaration } from './augmentation-declaration.js';
import type { DinoPresetOptions } from './dino-preset.js';

/**
 * The defaults of `dinoPreset`: DINO's (`DataAugmentationDINO`) — global crops 224 px of
 * `[0.4, 1]`, 8 local crops 96 px of `[0.05, 0.4]` (`--local_crops_number`; the paper's best: 10).
 */
export const DINO_PRESET_DEFAULTS: Required<Omit<DinoPresetOptions, 'channels'>> = {
  globalSize: [224, 224],
  localSize: [96, 96],
  localCrops: 8,
  globalScale: [0.4, 1],
  localScale: [0.05, 0.4],
};

const options = section({
  globalSize: imageSize().default(DINO_PRESET_DEFAULTS.globalSize),
  localSize: imageSize().default(DINO_PRESET_DEFAULTS.localSize),
  localCrops: z
    .number()
    .int()
    .min(0)
    .default(DINO_PRESET_DEFAULTS.localCrops)
    .describe('local crops per image (the paper’s best: 10)'),
  globalScale: numberRange(0, 1).default(DINO_PRESET_DEFAULTS.globalScale).describe('area range of the global crops'),
  localScale: numberRange(0, 1).default(DINO_PRESET_DEFAULTS.localScale).describe('area range of the local crops'),
});

/** `dino`: `dinoPreset` by id (2 global views and `localCrops` local ones). */
export const dinoPresetDeclaration: AugmentationDeclaration = {
  id: 'dino',
  description: 'DINO’s multi-crop: 2 global views and N local ones',
  produces: 'views',
  viewCount: (o) => 2 + (o.localCrops as number),
  options,
  create: async (o: z.output<typeof options>) => (await import('./dino-preset.js')).dinoPreset(o),
};
