import { type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { perSampleAugmentation } from './per-sample.js';
import { RANDOM_SOLARIZE_DEFAULTS } from './random-solarize-declaration.js';
import { expectProbability } from './validation.js';

/** Options of {@link randomSolarize}. */
export interface RandomSolarizeOptions {
  /** Probability of solarizing a sample (default: {@link RANDOM_SOLARIZE_DEFAULTS}). */
  p?: number;
  /** Pixels at or above it are inverted (default: {@link RANDOM_SOLARIZE_DEFAULTS}). */
  threshold?: number;
}

/**
 * Solarizes each sample with probability p: `x ≥ threshold ? 1 − x : x` per pixel (torchvision's
 * `RandomSolarize`; BYOL, Grill et al. 2020, arXiv:2006.07733, table 6).
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const out = randomSolarize({ p: 0.2, threshold: 0.5 })(images, rng);
 * @throws if p is not a probability or the threshold is not finite.
 */
export function randomSolarize(options: RandomSolarizeOptions = {}): Augmentation {
  const p = options.p ?? RANDOM_SOLARIZE_DEFAULTS.p;
  const threshold = options.threshold ?? RANDOM_SOLARIZE_DEFAULTS.threshold;
  expectProbability('randomSolarize', 'p', p);
  if (!Number.isFinite(threshold)) throw new Error(`randomSolarize: threshold must be a number; got ${threshold}`);
  return perSampleAugmentation('randomSolarize', p, (images) => {
    // 1 − step(t − x) is 1 exactly where x ≥ t, and the blend with it is exact (faster than
    // `where` on wasm).
    const above = tf.sub(1, tf.step(tf.sub(threshold, images)));
    return tf.add(tf.mul(images, tf.sub(1, above)), tf.mul(tf.sub(1, images), above)) as Tensor4D;
  });
}
