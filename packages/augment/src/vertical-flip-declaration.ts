import { probabilityOnlyDeclaration } from './augmentation-declaration.js';
import { FLIP_DEFAULTS } from './horizontal-flip-declaration.js';

/** `vertical-flip`: `verticalFlip` by id. */
export const verticalFlipDeclaration = probabilityOnlyDeclaration(
  'vertical-flip',
  'mirror top-bottom',
  FLIP_DEFAULTS.p,
  async () => (await import('./vertical-flip.js')).verticalFlip,
);
