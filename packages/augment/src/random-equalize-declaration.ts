import { probabilityOnlyDeclaration } from './augmentation-declaration.js';
import type { RandomEqualizeOptions } from './random-equalize.js';

/** The defaults of `randomEqualize`: p 0.5 (torchvision's). */
export const RANDOM_EQUALIZE_DEFAULTS: Required<RandomEqualizeOptions> = { p: 0.5 };

/** `random-equalize`: `randomEqualize` by id. */
export const randomEqualizeDeclaration = probabilityOnlyDeclaration(
  'random-equalize',
  'histogram equalization',
  RANDOM_EQUALIZE_DEFAULTS.p,
  async () => (await import('./random-equalize.js')).randomEqualize,
);
