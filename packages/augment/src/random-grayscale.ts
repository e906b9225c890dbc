import type { Augmentation } from './augmentation.js';
import { perSampleAugmentation } from './per-sample.js';
import { RANDOM_GRAYSCALE_DEFAULTS } from './random-grayscale-declaration.js';
import { toGrayscale } from './to-grayscale.js';
import { expectProbability } from './validation.js';

/** Options of {@link randomGrayscale}. */
export interface RandomGrayscaleOptions {
  /** Probability of converting a sample (default: {@link RANDOM_GRAYSCALE_DEFAULTS}). */
  p?: number;
}

/**
 * Converts each sample to grayscale with probability p, keeping 3 equal channels (torchvision's
 * `RandomGrayscale`; ITU-R 601 luma as {@link toGrayscale}). The identity on 1-channel images
 * (the grayscale-safe variant), though it still draws its mask so streams stay aligned.
 *
 * Shapes: `[N, H, W, C]` (C = 1 or 3) → `[N, H, W, C]`.
 *
 * @example const out = randomGrayscale({ p: 0.2 })(images, rng);
 * @throws if p is not a probability.
 */
export function randomGrayscale(options: RandomGrayscaleOptions = {}): Augmentation {
  const p = options.p ?? RANDOM_GRAYSCALE_DEFAULTS.p;
  expectProbability('randomGrayscale', 'p', p);
  return perSampleAugmentation('randomGrayscale', p, (images) => toGrayscale(images, { channels: 3 }), {
    kind: 'color',
    unchanged: (images) => images.shape[3] === 1,
  });
}
