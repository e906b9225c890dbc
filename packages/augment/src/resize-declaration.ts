import { sizeOnlyDeclaration } from './augmentation-declaration.js';

/** `resize`: `resize` by id. */
export const resizeDeclaration = sizeOnlyDeclaration(
  'resize',
  'resize to a fixed size (bilinear)',
  async () => (await import('./resize.js')).resize,
);
