import { probabilityOnlyDeclaration } from './augmentation-declaration.js';
import type { RandomAutoContrastOptions } from './random-auto-contrast.js';

/** The defaults of `randomAutoContrast`: p 0.5 (torchvision's). */
export const RANDOM_AUTO_CONTRAST_DEFAULTS: Required<RandomAutoContrastOptions> = { p: 0.5 };

/** `random-auto-contrast`: `randomAutoContrast` by id. */
export const randomAutoContrastDeclaration = probabilityOnlyDeclaration(
  'random-auto-contrast',
  'stretch each channel to the full range',
  RANDOM_AUTO_CONTRAST_DEFAULTS.p,
  async () => (await import('./random-auto-contrast.js')).randomAutoContrast,
);
