import { section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import type { ColorJitterOptions } from './color-jitter.js';

/** The defaults of `colorJitter`: every adjustment off, always applied, in a random order per sample (torchvision's). */
export const COLOR_JITTER_DEFAULTS: Required<ColorJitterOptions> = {
  brightness: 0,
  contrast: 0,
  saturation: 0,
  hue: 0,
  p: 1,
  randomOrder: true,
};

const options = section({
  brightness: z
    .number()
    .min(0)
    .default(COLOR_JITTER_DEFAULTS.brightness)
    .describe('brightness factor drawn from [max(0, 1 − b), 1 + b]; 0: off'),
  contrast: z
    .number()
    .min(0)
    .default(COLOR_JITTER_DEFAULTS.contrast)
    .describe('contrast factor drawn from [max(0, 1 − c), 1 + c]; 0: off'),
  saturation: z
    .number()
    .min(0)
    .default(COLOR_JITTER_DEFAULTS.saturation)
    .describe('saturation factor drawn from [max(0, 1 − s), 1 + s]; 0: off (RGB only)'),
  hue: z
    .number()
    .min(0)
    .max(0.5)
    .default(COLOR_JITTER_DEFAULTS.hue)
    .describe('hue shift drawn from [−h, h], in fractions of a turn; 0: off (RGB only)'),
  p: probabilityOption(COLOR_JITTER_DEFAULTS.p),
  randomOrder: z
    .boolean()
    .default(COLOR_JITTER_DEFAULTS.randomOrder)
    .describe('apply the four adjustments in a random order per image'),
});

/** `color-jitter`: `colorJitter` by id. */
export const colorJitterDeclaration: AugmentationDeclaration = {
  id: 'color-jitter',
  description: 'random brightness, contrast, saturation, hue (torchvision ColorJitter, random order)',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./color-jitter.js')).colorJitter(o),
};
