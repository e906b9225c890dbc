import { type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { perSampleAugmentation } from './per-sample.js';
import { RANDOM_EQUALIZE_DEFAULTS } from './random-equalize-declaration.js';
import { expectProbability } from './validation.js';

/** Options of {@link randomEqualize}. */
export interface RandomEqualizeOptions {
  /** Probability of equalizing a sample (default: {@link RANDOM_EQUALIZE_DEFAULTS}). */
  p?: number;
}

/**
 * Histogram equalization of each channel of `[N, H, W, C]` images, as torchvision's `equalize` on
 * uint8 images (values quantized to `round(255·x)` first): per channel a 256-bin histogram, step
 * `⌊(pixels − count of the top level) / 255⌋`, lookup `⌊(cdf_{l−1} + ⌊step/2⌋) / step⌋`; a channel
 * with step 0 (nearly flat) is left as it is. Batched: all histograms in one `denseBincount`, all
 * lookups in one `gather`.
 */
export function equalizeImages(images: Tensor4D): Tensor4D {
  const [count, height, width, channels] = images.shape;
  const pixels = height * width;
  const rows = count * channels;
  return tf.tidy(() => {
    const levels = tf.cast(tf.round(tf.mul(tf.clipByValue(images, 0, 1), 255)), 'int32') as Tensor4D;
    const planar = channels === 1 ? levels : tf.transpose(levels, [0, 3, 1, 2]);
    const flat = tf.reshape(planar, [rows, pixels]) as tf.Tensor2D;
    const histogram = tf.denseBincount(flat, tf.tensor2d([], [0, 0], 'float32'), 256) as tf.Tensor2D;
    const cdf = tf.cumsum(histogram, 1);
    const top = tf.max(flat, 1);
    const topCount = tf.sum(tf.mul(tf.oneHot(top, 256, 1, 0, 'float32'), histogram), 1, true);
    const step = tf.floor(tf.div(tf.sub(pixels, topCount), 255));
    const active = tf.step(step); // 1 where step > 0
    const safeStep = tf.add(step, tf.sub(1, active));
    const previous = tf.concat([tf.zeros([rows, 1]), tf.slice(cdf, [0, 0], [rows, 255])], 1);
    const equalized = tf.clipByValue(tf.floor(tf.div(tf.add(previous, tf.floor(tf.div(step, 2))), safeStep)), 0, 255);
    const identity = tf.range(0, 256, 1, 'float32');
    const lut = tf.add(tf.mul(equalized, active), tf.mul(identity, tf.sub(1, active)));
    const offsets = tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(256, 'int32'));
    const indices = tf.add(flat, tf.reshape(offsets, [rows, 1]));
    const mapped: Tensor = tf.div(tf.gather(tf.reshape(lut, [-1]), indices), 255);
    const back = tf.reshape(mapped, channels === 1 ? [count, height, width, 1] : [count, channels, height, width]);
    return (channels === 1 ? back : tf.transpose(back, [0, 2, 3, 1])) as Tensor4D;
  });
}

/**
 * Histogram equalization with probability p per sample (torchvision's `RandomEqualize`; used by
 * RandAugment-style policies). See {@link equalizeImages} for the exact rule.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`, values on the 256-level grid for equalized samples.
 *
 * @example const out = randomEqualize({ p: 0.5 })(images, rng);
 * @throws if p is not a probability.
 */
export function randomEqualize(options: RandomEqualizeOptions = {}): Augmentation {
  const p = options.p ?? RANDOM_EQUALIZE_DEFAULTS.p;
  expectProbability('randomEqualize', 'p', p);
  return perSampleAugmentation('randomEqualize', p, (images) => equalizeImages(images));
}
