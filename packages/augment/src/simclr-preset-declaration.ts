import { section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type AugmentationDeclaration, cropScaleOption, sizeOption } from './augmentation-declaration.js';
import type { SimclrPresetOptions } from './simclr-preset.js';

/**
 * The defaults of `simclrPreset`: strength 1 (SimCLR's ImageNet setting; its CIFAR-10 runs used
 * 0.5) and crop scale `[0.08, 1]`; blur, left out, is on for views of 64 px and more.
 */
export const SIMCLR_PRESET_DEFAULTS: Required<Pick<SimclrPresetOptions, 'strength' | 'scale'>> = {
  strength: 1,
  scale: [0.08, 1],
};

const options = section({
  size: sizeOption(),
  strength: z
    .number()
    .min(0)
    .default(SIMCLR_PRESET_DEFAULTS.strength)
    .describe('color distortion strength s (0.5 for CIFAR)'),
  blur: z.boolean().optional().describe('Gaussian blur p 0.5; default: on from 64 px'),
  scale: cropScaleOption(SIMCLR_PRESET_DEFAULTS.scale),
});

/** `simclr`: `simclrPreset` by id. */
export const simclrPresetDeclaration: AugmentationDeclaration = {
  id: 'simclr',
  description: 'SimCLR’s recipe: crop 0.08–1 + flip, color jitter 0.8s p 0.8, grayscale 0.2, blur from 64 px',
  produces: 'augmentation',
  sized: true,
  options,
  create: async ({ size, ...rest }: z.output<typeof options>) =>
    (await import('./simclr-preset.js')).simclrPreset({ size: size as [number, number], ...rest }),
};
