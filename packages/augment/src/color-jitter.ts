import type { Rng, Tensor4D } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { COLOR_JITTER_DEFAULTS } from './color-jitter-declaration.js';
import { applyColorSteps, type ColorStep } from './color-steps.js';
import { expectImageBatch, expectProbability } from './validation.js';

/** Options of {@link colorJitter} (torchvision's `ColorJitter` plus `RandomApply`'s p). */
export interface ColorJitterOptions {
  /** Brightness factor drawn from `[max(0, 1 − b), 1 + b]` (default: {@link COLOR_JITTER_DEFAULTS}: off). */
  brightness?: number;
  /** Contrast factor drawn from `[max(0, 1 − c), 1 + c]` (default: {@link COLOR_JITTER_DEFAULTS}: off). */
  contrast?: number;
  /** Saturation factor drawn from `[max(0, 1 − s), 1 + s]`; RGB only (default: {@link COLOR_JITTER_DEFAULTS}: off). */
  saturation?: number;
  /** Hue shift drawn from `[−h, h]`, h ≤ 0.5, in fractions of a turn; RGB only (default: {@link COLOR_JITTER_DEFAULTS}: off). */
  hue?: number;
  /** Probability of jittering a sample at all (`RandomApply`; SimCLR, BYOL, MoCo v2: 0.8; default: {@link COLOR_JITTER_DEFAULTS}). */
  p?: number;
  /**
   * Apply the adjustments in a random order per sample, as torchvision's `ColorJitter`, or always
   * brightness → contrast → saturation → hue (default: {@link COLOR_JITTER_DEFAULTS}).
   */
  randomOrder?: boolean;
}

const ADJUSTMENTS = ['brightness', 'contrast', 'saturation', 'hue'] as const;
type Adjustment = (typeof ADJUSTMENTS)[number];

/** The parameters one sample drew: whether it is jittered, its order and its factors. */
export interface ColorJitterParams {
  applied: boolean;
  /** The enabled adjustments in the order this sample applies them. */
  order: Adjustment[];
  brightness: number;
  contrast: number;
  saturation: number;
  hue: number;
}

/**
 * Draws the per-sample parameters of {@link colorJitter} (pure, no tensors): per sample, in order,
 * the apply draw (when p < 1), a permutation of the four adjustments (when `randomOrder`), then
 * the factor of each enabled adjustment in the order brightness, contrast, saturation, hue.
 * Saturation and hue are disabled for 1-channel images.
 *
 * @example const params = colorJitterParams(createRng(0), 8, 3, { brightness: 0.4, hue: 0.1 });
 * @throws if the options are out of range.
 */
export function colorJitterParams(
  rng: Rng,
  count: number,
  channels: number,
  options: ColorJitterOptions,
): ColorJitterParams[] {
  const strengths = resolve(options);
  const p = options.p ?? COLOR_JITTER_DEFAULTS.p;
  const rgb = channels === 3;
  const enabled = ADJUSTMENTS.filter(
    (name) => strengths[name] > 0 && (rgb || name === 'brightness' || name === 'contrast'),
  );
  const factor = (name: Adjustment) => {
    if (!enabled.includes(name)) return name === 'hue' ? 0 : 1;
    const s = strengths[name];
    return name === 'hue' ? rng.uniform(-s, s) : rng.uniform(Math.max(0, 1 - s), 1 + s);
  };
  return Array.from({ length: count }, () => {
    const applied = p >= 1 || rng.bernoulli(p);
    const permutation =
      (options.randomOrder ?? COLOR_JITTER_DEFAULTS.randomOrder) ? Array.from(rng.permutation(4)) : [0, 1, 2, 3];
    const order = permutation.map((i) => ADJUSTMENTS[i] as Adjustment).filter((name) => enabled.includes(name));
    return {
      applied,
      order,
      brightness: factor('brightness'),
      contrast: factor('contrast'),
      saturation: factor('saturation'),
      hue: factor('hue'),
    };
  });
}

function resolve(options: ColorJitterOptions): Record<Adjustment, number> {
  const {
    brightness = COLOR_JITTER_DEFAULTS.brightness,
    contrast = COLOR_JITTER_DEFAULTS.contrast,
    saturation = COLOR_JITTER_DEFAULTS.saturation,
    hue = COLOR_JITTER_DEFAULTS.hue,
  } = options;
  if (![brightness, contrast, saturation].every((v) => Number.isFinite(v) && v >= 0) || !(hue >= 0 && hue <= 0.5)) {
    throw new Error(
      `colorJitter: brightness, contrast and saturation must be ≥ 0 and hue in [0, 0.5]; got ${JSON.stringify(options)}`,
    );
  }
  expectProbability('colorJitter', 'p', options.p ?? COLOR_JITTER_DEFAULTS.p);
  return { brightness, contrast, saturation, hue };
}

/**
 * Color jitter as torchvision's `ColorJitter` (wrapped in `RandomApply(p)`), the color
 * distortion of SimCLR (Chen et al. 2020, arXiv:2002.05709), MoCo v2 and BYOL: per sample a
 * random order of the enabled adjustments and a random factor for each — brightness (blend with
 * black), contrast (blend with the mean luma), saturation (blend with the grayscale image, ITU-R
 * 601 weights) and hue (a shift in HSV as torchvision's `adjust_hue`), each clamped to [0, 1].
 *
 * 1-channel images get brightness and contrast only (the grayscale-safe variant; torchvision
 * also leaves them unchanged by saturation and hue).
 *
 * Batched and exact: step k applies, to every sample at once, the k-th adjustment of that
 * sample's own order — brightness, contrast and saturation are one blend with per-sample weights
 * whose unused terms are exact zeros, hue runs only on the samples whose k-th adjustment it is —
 * so every sample gets exactly its own sequence, with no per-order regrouping of the batch.
 *
 * Shapes: `[N, H, W, C]` (C = 1 or 3) → `[N, H, W, C]`.
 *
 * @example
 * // SimCLR's color distortion with strength s = 1:
 * const jitter = colorJitter({ brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2, p: 0.8 });
 * @throws if a strength is negative, hue > 0.5 or p is not a probability.
 */
export function colorJitter(options: ColorJitterOptions): Augmentation {
  resolve(options);
  return (images: Tensor4D, rng: Rng) => {
    expectImageBatch('colorJitter', images, 'color');
    const params = colorJitterParams(rng, images.shape[0], images.shape[3], options);
    const slots = Math.max(0, ...params.map((sample) => (sample.applied ? sample.order.length : 0)));
    const steps: ColorStep[] = [];
    for (let slot = 0; slot < slots; slot++) {
      const at = params.map((sample) => (sample.applied ? sample.order[slot] : undefined));
      if (at.some((name) => name !== undefined && name !== 'hue')) {
        steps.push({
          kind: 'linear',
          scale: params.map((sample, i) => (at[i] === undefined || at[i] === 'hue' ? 1 : sample[at[i]])),
          meanWeight: params.map((sample, i) => (at[i] === 'contrast' ? 1 - sample.contrast : 0)),
          grayWeight: params.map((sample, i) => (at[i] === 'saturation' ? 1 - sample.saturation : 0)),
        });
      }
      if (at.includes('hue')) {
        steps.push({ kind: 'hue', shifts: params.map((sample, i) => (at[i] === 'hue' ? sample.hue : undefined)) });
      }
    }
    return applyColorSteps(images, steps);
  };
}
