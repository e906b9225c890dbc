import { probabilityOnlyDeclaration } from './augmentation-declaration.js';
import type { RandomGrayscaleOptions } from './random-grayscale.js';

/** The defaults of `randomGrayscale`: p 0.1 (torchvision's; SimCLR, BYOL and MoCo v2 use 0.2). */
export const RANDOM_GRAYSCALE_DEFAULTS: Required<RandomGrayscaleOptions> = { p: 0.1 };

/** `random-grayscale`: `randomGrayscale` by id. */
export const randomGrayscaleDeclaration = probabilityOnlyDeclaration(
  'random-grayscale',
  'convert to grayscale (3 equal channels)',
  RANDOM_GRAYSCALE_DEFAULTS.p,
  async () => (await import('./random-grayscale.js')).randomGrayscale,
);
