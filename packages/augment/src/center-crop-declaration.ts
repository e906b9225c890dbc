import { section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, sizeOption } from './augmentation-declaration.js';

const options = section({ size: sizeOption() });

/** `center-crop`: `centerCrop` by id. */
export const centerCropDeclaration: AugmentationDeclaration = {
  id: 'center-crop',
  description: 'crop the center to a fixed size',
  produces: 'augmentation',
  sized: true,
  options,
  create: async ({ size }: z.output<typeof options>) =>
    (await import('./center-crop.js')).centerCrop(size as [number, number]),
};
