import { section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, sizeOption } from './augmentation-declaration.js';

const options = section({ size: sizeOption() });

/** `resize`: `resize` by id. */
export const resizeDeclaration: AugmentationDeclaration = {
  id: 'resize',
  description: 'resize to a fixed size (bilinear)',
  produces: 'augmentation',
  sized: true,
  options,
  create: async ({ size }: z.output<typeof options>) => (await import('./resize.js')).resize(size as [number, number]),
};
