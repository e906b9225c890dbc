import { section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import type { RandomPosterizeOptions } from './random-posterize.js';

/** The defaults of `randomPosterize`: p 0.5 (torchvision's); `bits` has none. */
export const RANDOM_POSTERIZE_DEFAULTS: Required<Pick<RandomPosterizeOptions, 'p'>> = { p: 0.5 };

const options = section({
  bits: z.number().int().min(1).max(8).describe('bits kept (1–8)'),
  p: probabilityOption(RANDOM_POSTERIZE_DEFAULTS.p),
});

/** `random-posterize`: `randomPosterize` by id. */
export const randomPosterizeDeclaration: AugmentationDeclaration = {
  id: 'random-posterize',
  description: 'keep the top bits of each 8-bit value',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./random-posterize.js')).randomPosterize(o),
};
