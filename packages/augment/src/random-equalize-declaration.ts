import { section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import type { RandomEqualizeOptions } from './random-equalize.js';

/** The defaults of `randomEqualize`: p 0.5 (torchvision's). */
export const RANDOM_EQUALIZE_DEFAULTS: Required<RandomEqualizeOptions> = { p: 0.5 };

const options = section({ p: probabilityOption(RANDOM_EQUALIZE_DEFAULTS.p) });

/** `random-equalize`: `randomEqualize` by id. */
export const randomEqualizeDeclaration: AugmentationDeclaration = {
  id: 'random-equalize',
  description: 'histogram equalization',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./random-equalize.js')).randomEqualize(o),
};
