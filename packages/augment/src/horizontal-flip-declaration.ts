import { section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import type { FlipOptions } from './horizontal-flip.js';

/** The defaults of `horizontalFlip` and `verticalFlip`: p 0.5 (torchvision's). */
export const FLIP_DEFAULTS: Required<FlipOptions> = { p: 0.5 };

const options = section({ p: probabilityOption(FLIP_DEFAULTS.p) });

/** `horizontal-flip`: `horizontalFlip` by id. */
export const horizontalFlipDeclaration: AugmentationDeclaration = {
  id: 'horizontal-flip',
  description: 'mirror left-right',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./horizontal-flip.js')).horizontalFlip(o),
};
