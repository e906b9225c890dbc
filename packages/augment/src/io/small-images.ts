/**
 * The smallest image side (pixels) a self-supervised run learns much from: the views' random
 * resized crops keep as little as 8 % of the area (under 3 px of an 8 px side), and an encoder's
 * three stride-2 blocks (the small CNN's) shrink 8 px to 1 — below it there is next to nothing to
 * tell views apart by. Smaller training sizes and source images are warned about, not refused.
 */
export const MIN_IMAGE_SIDE = 8;

const WHY =
  'the views’ random crops keep as little as 8 % of the area and the encoder’s stride-2 blocks shrink 8 px to 1, so there is next to nothing to learn from';

/**
 * The warning for training images of `size` [height, width] when a side is under
 * {@link MIN_IMAGE_SIDE}, else undefined.
 *
 * @example smallImageSizeWarning([1, 1]); // 'images of 1×1 px are below the 8 px a side …'
 */
export function smallImageSizeWarning(size: readonly [number, number]): string | undefined {
  const [height, width] = size;
  if (Math.min(height, width) >= MIN_IMAGE_SIDE) return undefined;
  return `images of ${height}×${width} px are below the ${MIN_IMAGE_SIDE} px a side training needs (${WHY}); use a larger size (e.g. --size 32)`;
}

/** A source image smaller than {@link MIN_IMAGE_SIDE} a side, before it was resized. */
export interface SmallImage {
  path: string;
  height: number;
  width: number;
}

/**
 * The warning for source images under {@link MIN_IMAGE_SIDE} a side (upscaled to the training
 * size they hold no more detail than their few pixels), naming the first few; undefined for none.
 *
 * @example smallSourceImagesWarning([{ path: 'a.png', height: 1, width: 1 }], [32, 32]);
 * // '1 image is smaller than 8 px a side (a.png 1×1): …'
 */
export function smallSourceImagesWarning(
  images: readonly SmallImage[],
  size: readonly [number, number],
): string | undefined {
  if (images.length === 0) return undefined;
  const named = images
    .slice(0, 3)
    .map((image) => `${image.path} ${image.height}×${image.width}`)
    .join(', ');
  const more = images.length > 3 ? `, and ${images.length - 3} more` : '';
  const count = images.length === 1 ? '1 image is' : `${images.length} images are`;
  return `${count} smaller than ${MIN_IMAGE_SIDE} px a side (${named}${more}): upscaled to ${size[0]}×${size[1]} they hold no more detail than their few pixels (${WHY})`;
}
