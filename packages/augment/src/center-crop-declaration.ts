import { sizeOnlyDeclaration } from './augmentation-declaration.js';

/** `center-crop`: `centerCrop` by id. */
export const centerCropDeclaration = sizeOnlyDeclaration(
  'center-crop',
  'crop the center to a fixed size',
  async () => (await import('./center-crop.js')).centerCrop,
);
