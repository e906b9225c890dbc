import type { Augmentation } from './augmentation.js';
import type { FlipOptions } from './horizontal-flip.js';
import { FLIP_DEFAULTS } from './horizontal-flip-declaration.js';
import { drawMask } from './per-sample.js';
import { resizedCrop } from './resized-crop.js';
import { expectImageBatch, expectProbability } from './validation.js';

/**
 * Mirrors each sample top–bottom with probability p (torchvision's `RandomVerticalFlip`).
 * Flipped samples are exact mirrors; all samples go through one `cropAndResize` call.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const out = verticalFlip({ p: 0.5 })(images, rng);
 * @throws if p is not a probability.
 */
export function verticalFlip(options: FlipOptions = {}): Augmentation {
  const p = options.p ?? FLIP_DEFAULTS.p;
  expectProbability('verticalFlip', 'p', p);
  return (images, rng) => {
    expectImageBatch('verticalFlip', images);
    const [count, height, width] = images.shape;
    const boxes = drawMask(rng, count, p).map((flippedVertically) => ({
      top: 0,
      left: 0,
      height,
      width,
      flippedVertically,
    }));
    return resizedCrop(images, boxes, [height, width]);
  };
}
