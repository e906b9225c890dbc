import { type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { perSampleAugmentation } from './per-sample.js';
import { RANDOM_AUTO_CONTRAST_DEFAULTS } from './random-auto-contrast-declaration.js';
import { expectProbability } from './validation.js';

/** Options of {@link randomAutoContrast}. */
export interface RandomAutoContrastOptions {
  /** Probability of stretching a sample (default: {@link RANDOM_AUTO_CONTRAST_DEFAULTS}). */
  p?: number;
}

/**
 * Auto-contrast with probability p: stretches each channel of each chosen sample linearly so its
 * minimum maps to 0 and its maximum to 1 (torchvision's `RandomAutocontrast`; flat channels are
 * left as they are).
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const out = randomAutoContrast({ p: 0.5 })(images, rng);
 * @throws if p is not a probability.
 */
export function randomAutoContrast(options: RandomAutoContrastOptions = {}): Augmentation {
  const p = options.p ?? RANDOM_AUTO_CONTRAST_DEFAULTS.p;
  expectProbability('randomAutoContrast', 'p', p);
  return perSampleAugmentation('randomAutoContrast', p, (images) => {
    const low = tf.min(images, [1, 2], true);
    const high = tf.max(images, [1, 2], true);
    const range = tf.sub(high, low);
    // torchvision: where max == min, minimum 0 and scale 1, i.e. the channel is unchanged.
    const flat = tf.sub(1, tf.step(range));
    const offset = tf.mul(low, tf.sub(1, flat));
    const scale = tf.div(1, tf.add(tf.mul(range, tf.sub(1, flat)), flat));
    return tf.clipByValue(tf.mul(tf.sub(images, offset), scale), 0, 1) as Tensor4D;
  });
}
