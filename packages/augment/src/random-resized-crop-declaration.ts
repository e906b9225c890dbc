import { numberRange, section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption, sizeOption } from './augmentation-declaration.js';
import type { RandomResizedCropOptions } from './random-resized-crop.js';

/** The defaults of `randomResizedCrop`: torchvision's `RandomResizedCrop` (scale `[0.08, 1]`, ratio `[3/4, 4/3]`), no flip. */
export const RANDOM_RESIZED_CROP_DEFAULTS: Required<
  Pick<RandomResizedCropOptions, 'scale' | 'ratio' | 'flipProbability'>
> = { scale: [0.08, 1], ratio: [3 / 4, 4 / 3], flipProbability: 0 };

const options = section({
  size: sizeOption(),
  scale: numberRange(0, 1)
    .default(RANDOM_RESIZED_CROP_DEFAULTS.scale)
    .describe('area range, as fractions of the image'),
  ratio: numberRange(0.01, 100).default(RANDOM_RESIZED_CROP_DEFAULTS.ratio).describe('aspect-ratio range'),
  flipProbability: probabilityOption(RANDOM_RESIZED_CROP_DEFAULTS.flipProbability).describe(
    'horizontal flip probability, folded into the crop',
  ),
});

/** `random-resized-crop`: `randomResizedCrop` by id. */
export const randomResizedCropDeclaration: AugmentationDeclaration = {
  id: 'random-resized-crop',
  description: 'crop a random area and aspect ratio, resize (torchvision RandomResizedCrop), optional flip',
  produces: 'augmentation',
  sized: true,
  options,
  create: async ({ size, ...rest }: z.output<typeof options>) =>
    (await import('./random-resized-crop.js')).randomResizedCrop({ size: size as [number, number], ...rest }),
};
