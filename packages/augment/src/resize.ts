import { type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { expectImageBatch, expectSize } from './validation.js';

/**
 * Resizes every sample to `[height, width]` bilinearly with half-pixel centers (torchvision's
 * tensor `Resize` with `antialias=False`; shrinking by more than 2× aliases — resize files with
 * {@link readImage}'s `size`, which antialiases, instead). Deterministic: the rng is not used.
 *
 * Shapes: `[N, H, W, C]` → `[N, size[0], size[1], C]`.
 *
 * @example const out = resize([64, 64])(images, rng);
 * @throws if `size` is not two positive integers.
 */
export function resize(size: [number, number]): Augmentation {
  expectSize('resize', 'size', size);
  return (images) => {
    expectImageBatch('resize', images);
    return tf.image.resizeBilinear(images, size, false, true) as Tensor4D;
  };
}
