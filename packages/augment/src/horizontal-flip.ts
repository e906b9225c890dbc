import type { Augmentation } from './augmentation.js';
import { FLIP_DEFAULTS } from './horizontal-flip-declaration.js';
import { drawMask } from './per-sample.js';
import { resizedCrop } from './resized-crop.js';
import { expectImageBatch, expectProbability } from './validation.js';

/** Options of {@link horizontalFlip} and {@link verticalFlip}. */
export interface FlipOptions {
  /** Probability of flipping a sample (default: {@link FLIP_DEFAULTS}). */
  p?: number;
}

/**
 * Mirrors each sample left–right with probability p (torchvision's `RandomHorizontalFlip`).
 * Flipped samples are exact mirrors; all samples go through one `cropAndResize` call.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const out = horizontalFlip({ p: 0.5 })(images, rng);
 * @throws if p is not a probability.
 */
export function horizontalFlip(options: FlipOptions = {}): Augmentation {
  const p = options.p ?? FLIP_DEFAULTS.p;
  expectProbability('horizontalFlip', 'p', p);
  return (images, rng) => {
    expectImageBatch('horizontalFlip', images);
    const [count, height, width] = images.shape;
    const boxes = drawMask(rng, count, p).map((flipped) => ({ top: 0, left: 0, height, width, flipped }));
    return resizedCrop(images, boxes, [height, width]);
  };
}
