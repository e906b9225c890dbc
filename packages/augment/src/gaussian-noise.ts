import { type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { GAUSSIAN_NOISE_DEFAULTS } from './gaussian-noise-declaration.js';
import { perSampleAugmentation } from './per-sample.js';
import { expectAtLeast, expectProbability } from './validation.js';

/** Options of {@link gaussianNoise}. */
export interface GaussianNoiseOptions {
  /** Standard deviation of the noise, in [0, 1] units. */
  std: number;
  /** Probability of adding noise to a sample (default: {@link GAUSSIAN_NOISE_DEFAULTS}). */
  p?: number;
}

/**
 * Adds independent N(0, std²) noise to every pixel of each chosen sample, clamped to [0, 1]. The
 * noise comes from the seeded rng (`rng.normalTensor`), so it is reproducible too.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const out = gaussianNoise({ std: 0.05 })(images, rng);
 * @throws if std < 0 or p is not a probability.
 */
export function gaussianNoise(options: GaussianNoiseOptions): Augmentation {
  const p = options.p ?? GAUSSIAN_NOISE_DEFAULTS.p;
  expectProbability('gaussianNoise', 'p', p);
  expectAtLeast('gaussianNoise', 'std', options.std, 0);
  return perSampleAugmentation(
    'gaussianNoise',
    p,
    (images, rng) => tf.clipByValue(tf.add(images, rng.normalTensor(images.shape, 0, options.std)), 0, 1) as Tensor4D,
    { unchanged: () => options.std === 0 },
  );
}
