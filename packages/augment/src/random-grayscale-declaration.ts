import { section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import type { RandomGrayscaleOptions } from './random-grayscale.js';

/** The defaults of `randomGrayscale`: p 0.1 (torchvision's; SimCLR, BYOL and MoCo v2 use 0.2). */
export const RANDOM_GRAYSCALE_DEFAULTS: Required<RandomGrayscaleOptions> = { p: 0.1 };

const options = section({ p: probabilityOption(RANDOM_GRAYSCALE_DEFAULTS.p) });

/** `random-grayscale`: `randomGrayscale` by id. */
export const randomGrayscaleDeclaration: AugmentationDeclaration = {
  id: 'random-grayscale',
  description: 'convert to grayscale (3 equal channels)',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./random-grayscale.js')).randomGrayscale(o),
};
