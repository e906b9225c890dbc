import { probability, section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import type { RandomSolarizeOptions } from './random-solarize.js';

/** The defaults of `randomSolarize`: p 0.5 (torchvision's), threshold 0.5 (BYOL's; PIL's 128/255 ≈ 0.502). */
export const RANDOM_SOLARIZE_DEFAULTS: Required<RandomSolarizeOptions> = { p: 0.5, threshold: 0.5 };

const options = section({
  p: probabilityOption(RANDOM_SOLARIZE_DEFAULTS.p),
  threshold: probability()
    .default(RANDOM_SOLARIZE_DEFAULTS.threshold)
    .describe('pixels at or above it are inverted (BYOL: 0.5)'),
});

/** `random-solarize`: `randomSolarize` by id. */
export const randomSolarizeDeclaration: AugmentationDeclaration = {
  id: 'random-solarize',
  description: 'invert pixels above a threshold',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./random-solarize.js')).randomSolarize(o),
};
