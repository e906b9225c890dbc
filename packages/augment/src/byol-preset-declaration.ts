import { section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, cropScaleOption, sizeOption } from './augmentation-declaration.js';
import type { ByolPresetOptions } from './byol-preset.js';

/** The defaults of `byolPreset`: crop scale `[0.08, 1]`. */
export const BYOL_PRESET_DEFAULTS: Required<Pick<ByolPresetOptions, 'scale'>> = { scale: [0.08, 1] };

const options = section({ size: sizeOption(), scale: cropScaleOption(BYOL_PRESET_DEFAULTS.scale) });

/** `byol`: `byolPreset` by id (two views). */
export const byolPresetDeclaration: AugmentationDeclaration = {
  id: 'byol',
  description: 'BYOL’s two asymmetric views (blur 1.0 / 0.1, solarize 0 / 0.2)',
  produces: 'views',
  viewCount: () => 2,
  sized: true,
  options,
  create: async ({ size, ...rest }: z.output<typeof options>) =>
    (await import('./byol-preset.js')).byolPreset({ size: size as [number, number], ...rest }),
};
