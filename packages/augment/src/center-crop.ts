import { type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { roundHalfEven } from './per-sample.js';
import { expectImageBatch, expectSize } from './validation.js';

/**
 * Crops the central `[height, width]` region of every sample (torchvision's `CenterCrop`: offsets
 * `round((H − h) / 2)`, half to even). Deterministic: the rng is not used.
 *
 * Shapes: `[N, H, W, C]` → `[N, size[0], size[1], C]`.
 *
 * @example const out = centerCrop([24, 24])(images, rng);
 * @throws if the crop is larger than the images (torchvision would pad; resize first instead).
 */
export function centerCrop(size: [number, number]): Augmentation {
  expectSize('centerCrop', 'size', size);
  return (images) => {
    expectImageBatch('centerCrop', images);
    const [, height, width] = images.shape;
    if (size[0] > height || size[1] > width) {
      throw new Error(`centerCrop: crop ${size[0]}×${size[1]} is larger than the images (${height}×${width})`);
    }
    const top = roundHalfEven((height - size[0]) / 2);
    const left = roundHalfEven((width - size[1]) / 2);
    return tf.slice(images, [0, top, left, 0], [-1, size[0], size[1], -1]) as Tensor4D;
  };
}
