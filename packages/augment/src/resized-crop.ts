import { type Tensor4D, tf } from '@selfsup/backend';
import { expectImageBatch, expectSize } from './validation.js';

/**
 * One crop of one image, in pixels of the source image: the region `[top, top + height) ×
 * [left, left + width)` (fractional values allowed), optionally mirrored.
 */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
  /** Mirror the crop left–right (a horizontal flip folded into the resampling). */
  flipped?: boolean;
  /** Mirror the crop top–bottom. */
  flippedVertically?: boolean;
}

/**
 * Crops one box per sample and resizes it to `size`, bilinearly, all samples in one
 * `tf.image.cropAndResize` call.
 *
 * Sampling follows torchvision's `resized_crop` / `grid_sample(align_corners=False,
 * padding_mode='border')`: output pixel i of a box samples the source at
 * `top + (i + 0.5)·height/outHeight − 0.5` (half-pixel centers), and samples past the border take
 * the border value. Mirrored boxes are exact mirrors. No antialiasing when shrinking (torchvision's
 * tensor path with `antialias=False`; PIL antialiases).
 *
 * @param images `[N, H, W, C]` float32.
 * @param boxes one box per sample.
 * @param size output `[height, width]`.
 * @returns `[N, size[0], size[1], C]`.
 * @example
 * const crops = resizedCrop(images, [{ top: 2, left: 2, height: 24, width: 24, flipped: true }], [32, 32]);
 * @throws if `boxes` does not have one box per sample, or a box is empty or outside the image.
 */
export function resizedCrop(images: Tensor4D, boxes: readonly CropBox[], size: readonly [number, number]): Tensor4D {
  expectImageBatch('resizedCrop', images);
  expectSize('resizedCrop', 'size', size);
  const [count, height, width] = images.shape;
  if (boxes.length !== count) throw new Error(`resizedCrop: needs one box per sample (${count}); got ${boxes.length}`);
  const [outHeight, outWidth] = size;
  const axis = (start: number, extent: number, out: number) => {
    const first = start + (0.5 * extent) / out - 0.5;
    const last = start + ((out - 0.5) * extent) / out - 0.5;
    return [first, last] as const;
  };
  const spans = boxes.map((box) => {
    if (
      !(box.height > 0 && box.width > 0 && box.top >= 0 && box.left >= 0) ||
      box.top + box.height > height + 1e-9 ||
      box.left + box.width > width + 1e-9
    ) {
      throw new Error(`resizedCrop: box ${JSON.stringify(box)} is empty or outside the ${height}×${width} image`);
    }
    return [axis(box.top, box.height, outHeight), axis(box.left, box.width, outWidth)] as const;
  });
  // Half-pixel sampling reaches up to half a pixel past the border when a box is upsampled; a
  // one-pixel edge-replicated frame makes those samples take the border value, as torchvision's.
  // The kernel computes coordinates in float32 and treats one rounded past the last pixel as
  // outside, so samples within 1e-3 px of the far border also get the frame (a box spanning the
  // whole axis at scale 1, e.g. a flip, maps pixels exactly and needs none).
  const outside = ([first, last]: readonly [number, number], extent: number) =>
    first < 0 || (last > extent - 1 - 1e-3 && !(first === 0 && last === extent - 1));
  const pad = spans.some(([rows, columns]) => outside(rows, height) || outside(columns, width)) ? 1 : 0;
  return tf.tidy(() => {
    const source = pad === 1 ? edgePad(images) : images;
    const paddedHeight = height + 2 * pad;
    const paddedWidth = width + 2 * pad;
    const normalize = (value: number, extent: number) => (extent > 1 ? (value + pad) / (extent - 1) : 0);
    const coordinates = spans.flatMap(([[y1, y2], [x1, x2]], i) => {
      const box = boxes[i] as CropBox;
      let top = normalize(y1, paddedHeight);
      let bottom = normalize(y2, paddedHeight);
      let left = normalize(x1, paddedWidth);
      let right = normalize(x2, paddedWidth);
      if (box.flippedVertically === true) [top, bottom] = [bottom, top];
      if (box.flipped === true) [left, right] = [right, left];
      return [top, left, bottom, right];
    });
    return tf.image.cropAndResize(
      source,
      tf.tensor2d(coordinates, [count, 4], 'float32'),
      tf.tensor1d(
        boxes.map((_, i) => i),
        'int32',
      ),
      [outHeight, outWidth],
      'bilinear',
    ) as Tensor4D;
  });
}

/** Replicates the first and last row and column once: `[N, H, W, C]` → `[N, H + 2, W + 2, C]`. */
function edgePad(images: Tensor4D): Tensor4D {
  const [, height, width] = images.shape;
  const rows = tf.concat(
    [tf.slice(images, [0, 0, 0, 0], [-1, 1, -1, -1]), images, tf.slice(images, [0, height - 1, 0, 0], [-1, 1, -1, -1])],
    1,
  );
  return tf.concat(
    [tf.slice(rows, [0, 0, 0, 0], [-1, -1, 1, -1]), rows, tf.slice(rows, [0, 0, width - 1, 0], [-1, -1, 1, -1])],
    2,
  ) as Tensor4D;
}
