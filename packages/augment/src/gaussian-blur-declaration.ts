import { numberRange, positiveInteger, section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import type { GaussianBlurOptions } from './gaussian-blur.js';

/** The defaults of `gaussianBlur`: σ from `[0.1, 2]` pixels and p 0.5 (SimCLR's and MoCo v2's). */
export const GAUSSIAN_BLUR_DEFAULTS: Required<Pick<GaussianBlurOptions, 'sigma' | 'p'>> = { sigma: [0.1, 2], p: 0.5 };

const options = section({
  kernelSize: positiveInteger().optional().describe('odd kernel size; default ≈ 10 % of the image side'),
  sigma: numberRange(0.001, 100)
    .default(GAUSSIAN_BLUR_DEFAULTS.sigma)
    .describe('range the blur’s σ (pixels) is drawn from, per image'),
  p: probabilityOption(GAUSSIAN_BLUR_DEFAULTS.p),
});

/** `gaussian-blur`: `gaussianBlur` by id; its kernel, left out, is `blurKernelSize` of the data's size. */
export const gaussianBlurDeclaration: AugmentationDeclaration = {
  id: 'gaussian-blur',
  description: 'Gaussian blur with a random sigma per image',
  produces: 'augmentation',
  options,
  create: async ({ kernelSize, ...rest }: z.output<typeof options>, context) => {
    const { gaussianBlur, blurKernelSize } = await import('./gaussian-blur.js');
    return gaussianBlur({ kernelSize: kernelSize ?? blurKernelSize(context.size), ...rest });
  },
};
