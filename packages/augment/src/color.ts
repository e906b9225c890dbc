import { ADJUST_HUE, type Rng, type Tensor4D, tf } from '@selfsup/backend';
import { type Augmentation, expectImageBatch, expectProbability } from './augmentation.js';
import { hsvToRgb, rgbToHsv, toGrayscale } from './color-space.js';
import { applyToSubset, drawMask, perSample, selectSamples } from './per-sample.js';

/** x·f per sample (torchvision's adjust_brightness: a blend with black), clamped to [0, 1]. */
export function adjustBrightness(images: Tensor4D, factors: readonly number[]): Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.mul(images, perSample(factors)), 0, 1) as Tensor4D);
}

/** Blend with the per-image mean luma: f·x + (1 − f)·mean (torchvision's adjust_contrast), clamped. */
export function adjustContrast(images: Tensor4D, factors: readonly number[]): Tensor4D {
  return tf.tidy(() => {
    const mean = tf.mean(toGrayscale(images), [1, 2, 3], true);
    const f = perSample(factors);
    return tf.clipByValue(tf.add(tf.mul(images, f), tf.mul(mean, tf.sub(1, f))), 0, 1) as Tensor4D;
  });
}

/** Blend with the grayscale image: f·x + (1 − f)·gray (torchvision's adjust_saturation), clamped. RGB only. */
export function adjustSaturation(images: Tensor4D, factors: readonly number[]): Tensor4D {
  return tf.tidy(() => {
    const f = perSample(factors);
    return tf.clipByValue(tf.add(tf.mul(images, f), tf.mul(toGrayscale(images), tf.sub(1, f))), 0, 1) as Tensor4D;
  });
}

/**
 * Shifts hue by `shifts` (fractions of a turn in [−0.5, 0.5]) in HSV (torchvision's adjust_hue).
 * RGB only. Uses the backend's fused kernel where one is registered (wasm), else tensor ops.
 */
export function adjustHue(images: Tensor4D, shifts: readonly number[]): Tensor4D {
  if (images.dtype === 'float32' && tf.getKernel(ADJUST_HUE, tf.getBackend()) !== undefined) {
    return tf.tidy(
      () =>
        tf.engine().runKernel(ADJUST_HUE, { images, shifts: tf.tensor1d(shifts as number[], 'float32') }) as Tensor4D,
    );
  }
  return tf.tidy(() => {
    const hsv = rgbToHsv(images);
    const [h, s, v] = tf.split(hsv, 3, 3);
    const shifted = tf.mod(tf.add(tf.add(h as Tensor4D, perSample(shifts)), 1), 1);
    return hsvToRgb(tf.concat([shifted, s as Tensor4D, v as Tensor4D], 3) as Tensor4D);
  });
}

export interface ColorJitterOptions {
  /** Brightness factor drawn from [max(0, 1 − b), 1 + b] (default 0: off). */
  brightness?: number;
  contrast?: number;
  saturation?: number;
  /** Hue shift drawn from [−h, h], h ≤ 0.5 (default 0: off). */
  hue?: number;
  /** Probability of jittering a sample at all (SimCLR: 0.8). Default 1. */
  p?: number;
  /**
   * Apply the adjustments in a random order per sample (torchvision's ColorJitter, default true)
   * or always brightness → contrast → saturation → hue.
   */
  randomOrder?: boolean;
}

const OPERATIONS = ['brightness', 'contrast', 'saturation', 'hue'] as const;
type Operation = (typeof OPERATIONS)[number];

/**
 * Color jitter as torchvision's ColorJitter: per sample a random order of the enabled adjustments
 * and a random factor for each; saturation and hue only on RGB images (1-channel images get
 * brightness and contrast — the grayscale-safe variant). Samples are grouped by their order so
 * each group runs its adjustments once, batched.
 */
export function colorJitter(options: ColorJitterOptions): Augmentation {
  const { brightness = 0, contrast = 0, saturation = 0, hue = 0 } = options;
  const p = options.p ?? 1;
  expectProbability('colorJitter', 'p', p);
  if ([brightness, contrast, saturation].some((v) => v < 0) || hue < 0 || hue > 0.5) {
    throw new Error(
      `colorJitter: brightness, contrast and saturation must be ≥ 0 and hue in [0, 0.5]; got ${JSON.stringify(options)}`,
    );
  }
  return (images: Tensor4D, rng: Rng) => {
    expectImageBatch('colorJitter', images);
    const rgb = images.shape[3] === 3;
    const enabled = OPERATIONS.filter(
      (op) => ({ brightness, contrast, saturation: rgb ? saturation : 0, hue: rgb ? hue : 0 })[op] > 0,
    );
    const count = images.shape[0];
    const mask = drawMask(rng, count, p);
    // Per sample: an order (torchvision draws a permutation of all four) and each factor.
    const plans = Array.from({ length: count }, () => {
      const permutation = options.randomOrder === false ? [0, 1, 2, 3] : Array.from(rng.permutation(4));
      const order = permutation.map((i) => OPERATIONS[i] as Operation).filter((op) => enabled.includes(op));
      const factors: Record<Operation, number> = {
        brightness: rng.uniform(Math.max(0, 1 - brightness), 1 + brightness),
        contrast: rng.uniform(Math.max(0, 1 - contrast), 1 + contrast),
        saturation: rng.uniform(Math.max(0, 1 - saturation), 1 + saturation),
        hue: rng.uniform(-hue, hue),
      };
      return { order, factors };
    });
    if (enabled.length === 0) return tf.clone(images);
    // Slot k applies, to every sample, the k-th adjustment of its own order. Brightness, contrast
    // and saturation run batched with identity factors (1) for samples doing something else in that
    // slot; hue (an HSV round trip) runs only on the samples whose slot it is.
    return applyToSubset(images, mask, (subset) => {
      const chosen = plans.filter((_, i) => mask[i]);
      let current = tf.clone(subset);
      for (let slot = 0; slot < enabled.length; slot++) {
        const next = tf.tidy(() => {
          let x = current;
          for (const op of enabled) {
            const inSlot = chosen.map((plan) => plan.order[slot] === op);
            if (!inSlot.some(Boolean)) continue;
            if (op === 'hue') {
              const shifts = chosen.filter((_, i) => inSlot[i]).map((plan) => plan.factors.hue);
              x = applyToSubset(x, inSlot, (part) => adjustHue(part, shifts));
              continue;
            }
            const factors = chosen.map((plan, i) => (inSlot[i] ? plan.factors[op] : 1));
            x =
              op === 'brightness'
                ? adjustBrightness(x, factors)
                : op === 'contrast'
                  ? adjustContrast(x, factors)
                  : adjustSaturation(x, factors);
          }
          return x === current ? tf.clone(current) : x;
        });
        current.dispose();
        current = next;
      }
      return current;
    });
  };
}

/** Converts each sample to grayscale (kept at C channels) with probability p (SimCLR: 0.2). Identity on 1 channel. */
export function randomGrayscale(options: { p?: number } = {}): Augmentation {
  const p = options.p ?? 0.1;
  expectProbability('randomGrayscale', 'p', p);
  return (images, rng) => {
    expectImageBatch('randomGrayscale', images);
    const mask = drawMask(rng, images.shape[0], p);
    if (images.shape[3] === 1) return tf.clone(images);
    return tf.tidy(() => selectSamples(mask, tf.tile(toGrayscale(images), [1, 1, 1, 3]) as Tensor4D, images));
  };
}

/** Inverts pixels at or above `threshold` (x ≥ t → 1 − x) with probability p (BYOL: 0.2 on view 2). */
export function randomSolarize(options: { p?: number; threshold?: number } = {}): Augmentation {
  const p = options.p ?? 0.5;
  const threshold = options.threshold ?? 0.5;
  expectProbability('randomSolarize', 'p', p);
  return (images, rng) => {
    expectImageBatch('randomSolarize', images);
    const mask = drawMask(rng, images.shape[0], p);
    return tf.tidy(() =>
      selectSamples(mask, tf.where(tf.greaterEqual(images, threshold), tf.sub(1, images), images) as Tensor4D, images),
    );
  };
}

/** Keeps `bits` bits per channel (on the 0–255 scale) with probability p. */
export function randomPosterize(options: { bits: number; p?: number }): Augmentation {
  const p = options.p ?? 0.5;
  expectProbability('randomPosterize', 'p', p);
  if (!Number.isInteger(options.bits) || options.bits < 1 || options.bits > 8)
    throw new Error(`randomPosterize: bits must be an integer in 1..8; got ${options.bits}`);
  const step = 2 ** (8 - options.bits);
  return (images, rng) => {
    expectImageBatch('randomPosterize', images);
    const mask = drawMask(rng, images.shape[0], p);
    return tf.tidy(() =>
      selectSamples(
        mask,
        tf.div(tf.mul(tf.floor(tf.div(tf.round(tf.mul(images, 255)), step)), step), 255) as Tensor4D,
        images,
      ),
    );
  };
}

/** Stretches each channel of each sample to span [0, 1] (torchvision's autocontrast) with probability p. */
export function randomAutoContrast(options: { p?: number } = {}): Augmentation {
  const p = options.p ?? 0.5;
  expectProbability('randomAutoContrast', 'p', p);
  return (images, rng) => {
    expectImageBatch('randomAutoContrast', images);
    const mask = drawMask(rng, images.shape[0], p);
    return tf.tidy(() => {
      const low = tf.min(images, [1, 2], true);
      const high = tf.max(images, [1, 2], true);
      const range = tf.sub(high, low);
      // Flat channels (range 0) are left as they are, as torchvision does.
      const stretched = tf.where(tf.greater(range, 0), tf.div(tf.sub(images, low), tf.maximum(range, 1e-12)), images);
      return selectSamples(mask, tf.clipByValue(stretched, 0, 1) as Tensor4D, images);
    });
  };
}

/** Adds N(0, std²) noise per pixel with probability p per sample, clamped to [0, 1]. */
export function gaussianNoise(options: { std: number; p?: number }): Augmentation {
  const p = options.p ?? 1;
  expectProbability('gaussianNoise', 'p', p);
  if (!(options.std >= 0)) throw new Error(`gaussianNoise: std must be ≥ 0; got ${options.std}`);
  return (images, rng) => {
    expectImageBatch('gaussianNoise', images);
    const mask = drawMask(rng, images.shape[0], p);
    return tf.tidy(() =>
      selectSamples(
        mask,
        tf.clipByValue(
          tf.add(images, tf.randomNormal(images.shape, 0, options.std, 'float32', rng.seed())),
          0,
          1,
        ) as Tensor4D,
        images,
      ),
    );
  };
}

/** (x − mean) / std per channel (e.g. ImageNet or Fashion-MNIST statistics). */
export function normalize(options: { mean: number[]; std: number[] }): Augmentation {
  return (images) => {
    expectImageBatch('normalize', images);
    if (options.mean.length !== images.shape[3] || options.std.length !== images.shape[3]) {
      throw new Error(
        `normalize: needs ${images.shape[3]} mean and std values; got ${options.mean.length} and ${options.std.length}`,
      );
    }
    return tf.tidy(() => tf.div(tf.sub(images, options.mean), options.std) as Tensor4D);
  };
}

/** The inverse of {@link normalize}: x·std + mean. */
export function denormalize(options: { mean: number[]; std: number[] }): Augmentation {
  return (images) => tf.tidy(() => tf.add(tf.mul(images, options.std), options.mean) as Tensor4D);
}
