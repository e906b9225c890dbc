import { type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { perSampleAugmentation } from './per-sample.js';
import { RANDOM_POSTERIZE_DEFAULTS } from './random-posterize-declaration.js';
import { expectProbability } from './validation.js';

/** Options of {@link randomPosterize}. */
export interface RandomPosterizeOptions {
  /** Bits kept per channel on the 0–255 scale, 1–8. */
  bits: number;
  /** Probability of posterizing a sample (default: {@link RANDOM_POSTERIZE_DEFAULTS}). */
  p?: number;
}

/**
 * Posterizes each sample with probability p: quantizes to 8 bits, keeps the top `bits` bits
 * (torchvision's `RandomPosterize` on uint8 images: `x & ~(2^(8−bits) − 1)`), back to [0, 1].
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const out = randomPosterize({ bits: 4, p: 0.5 })(images, rng);
 * @throws if bits is not an integer in 1..8 or p is not a probability.
 */
export function randomPosterize(options: RandomPosterizeOptions): Augmentation {
  const p = options.p ?? RANDOM_POSTERIZE_DEFAULTS.p;
  expectProbability('randomPosterize', 'p', p);
  if (!Number.isInteger(options.bits) || options.bits < 1 || options.bits > 8) {
    throw new Error(`randomPosterize: bits must be an integer in 1..8; got ${options.bits}`);
  }
  const step = 2 ** (8 - options.bits);
  return perSampleAugmentation('randomPosterize', p, (images) => {
    const levels = tf.round(tf.mul(tf.clipByValue(images, 0, 1), 255));
    return tf.div(tf.mul(tf.floor(tf.div(levels, step)), step), 255) as Tensor4D;
  });
}
