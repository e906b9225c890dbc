import { section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type AugmentationDeclaration, cropScaleOption, sizeOption } from './augmentation-declaration.js';
import type { MocoV2PresetOptions } from './moco-v2-preset.js';

/** The defaults of `mocoV2Preset`: crop scale `[0.2, 1]` (MoCo v2's), blur on (small images may want it off). */
export const MOCO_V2_PRESET_DEFAULTS: Required<Pick<MocoV2PresetOptions, 'scale' | 'blur'>> = {
  scale: [0.2, 1],
  blur: true,
};

const options = section({
  size: sizeOption(),
  scale: cropScaleOption(MOCO_V2_PRESET_DEFAULTS.scale),
  blur: z.boolean().default(MOCO_V2_PRESET_DEFAULTS.blur).describe('Gaussian blur with probability 0.5'),
});

/** `moco-v2`: `mocoV2Preset` by id. */
export const mocoV2PresetDeclaration: AugmentationDeclaration = {
  id: 'moco-v2',
  description: 'MoCo v2’s recipe: crop 0.2–1, jitter 0.4 p 0.8, grayscale 0.2, blur p 0.5, flip',
  produces: 'augmentation',
  sized: true,
  options,
  create: async ({ size, ...rest }: z.output<typeof options>) =>
    (await import('./moco-v2-preset.js')).mocoV2Preset({ size: size as [number, number], ...rest }),
};
