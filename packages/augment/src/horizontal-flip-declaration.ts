import { probabilityOnlyDeclaration } from './augmentation-declaration.js';
import type { FlipOptions } from './horizontal-flip.js';

/** The defaults of `horizontalFlip` and `verticalFlip`: p 0.5 (torchvision's). */
export const FLIP_DEFAULTS: Required<FlipOptions> = { p: 0.5 };

/** `horizontal-flip`: `horizontalFlip` by id. */
export const horizontalFlipDeclaration = probabilityOnlyDeclaration(
  'horizontal-flip',
  'mirror left-right',
  FLIP_DEFAULTS.p,
  async () => (await import('./horizontal-flip.js')).horizontalFlip,
);
