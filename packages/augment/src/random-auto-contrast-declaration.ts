import { section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import type { RandomAutoContrastOptions } from './random-auto-contrast.js';

/** The defaults of `randomAutoContrast`: p 0.5 (torchvision's). */
export const RANDOM_AUTO_CONTRAST_DEFAULTS: Required<RandomAutoContrastOptions> = { p: 0.5 };

const options = section({ p: probabilityOption(RANDOM_AUTO_CONTRAST_DEFAULTS.p) });

/** `random-auto-contrast`: `randomAutoContrast` by id. */
export const randomAutoContrastDeclaration: AugmentationDeclaration = {
  id: 'random-auto-contrast',
  description: 'stretch each channel to the full range',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./random-auto-contrast.js')).randomAutoContrast(o),
};
