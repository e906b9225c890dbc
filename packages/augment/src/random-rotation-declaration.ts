import { numberRange, probability, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import type { AugmentationDeclaration } from './augmentation-declaration.js';
import type { RandomRotationOptions } from './random-rotation.js';

/** The defaults of `randomRotation`: bilinear resampling (torchvision's is nearest), fill 0 (torchvision's); `degrees` has none. */
export const RANDOM_ROTATION_DEFAULTS: Required<Pick<RandomRotationOptions, 'interpolation' | 'fill'>> = {
  interpolation: 'bilinear',
  fill: 0,
};

const options = section({
  degrees: z
    .union([z.number().min(0), numberRange(-360, 360)])
    .describe('maximum angle d (uniform in [−d, d]) or a [min, max] range'),
  interpolation: z
    .enum(['bilinear', 'nearest'])
    .default(RANDOM_ROTATION_DEFAULTS.interpolation)
    .describe('how pixels are resampled'),
  fill: probability()
    .default(RANDOM_ROTATION_DEFAULTS.fill)
    .describe('value of pixels rotated in from outside the image'),
});

/** `random-rotation`: `randomRotation` by id. */
export const randomRotationDeclaration: AugmentationDeclaration = {
  id: 'random-rotation',
  description: 'rotate by a random angle about the center',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./random-rotation.js')).randomRotation(o),
};
