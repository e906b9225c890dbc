import { numberRange, probability, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import type { RandomErasingOptions } from './random-erasing.js';

/** The defaults of `randomErasing`: torchvision's `RandomErasing` (p 0.5, scale `[0.02, 0.33]`, ratio `[0.3, 3.3]`, value 0). */
export const RANDOM_ERASING_DEFAULTS: Required<RandomErasingOptions> = {
  p: 0.5,
  scale: [0.02, 0.33],
  ratio: [0.3, 3.3],
  value: 0,
};

const options = section({
  p: probabilityOption(RANDOM_ERASING_DEFAULTS.p),
  scale: numberRange(0, 1)
    .default(RANDOM_ERASING_DEFAULTS.scale)
    .describe('area range of the rectangle, as fractions of the image'),
  ratio: numberRange(0.01, 100).default(RANDOM_ERASING_DEFAULTS.ratio).describe('aspect-ratio range of the rectangle'),
  value: z
    .union([probability(), z.literal('random')])
    .default(RANDOM_ERASING_DEFAULTS.value)
    .describe('fill: a value in [0, 1], or `random` for per-pixel N(0, 1) noise'),
});

/** `random-erasing`: `randomErasing` by id. */
export const randomErasingDeclaration: AugmentationDeclaration = {
  id: 'random-erasing',
  description: 'erase a random rectangle (torchvision RandomErasing, cutout)',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./random-erasing.js')).randomErasing(o),
};
