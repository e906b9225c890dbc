import { section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import { FLIP_DEFAULTS } from './horizontal-flip-declaration.js';

const options = section({ p: probabilityOption(FLIP_DEFAULTS.p) });

/** `vertical-flip`: `verticalFlip` by id. */
export const verticalFlipDeclaration: AugmentationDeclaration = {
  id: 'vertical-flip',
  description: 'mirror top-bottom',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./vertical-flip.js')).verticalFlip(o),
};
