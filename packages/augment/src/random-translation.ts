import type { Augmentation } from './augmentation.js';
import { roundHalfEven } from './per-sample.js';
import { projectiveTransform } from './projective-transform.js';
import { RANDOM_TRANSLATION_DEFAULTS } from './random-translation-declaration.js';
import { expectImageBatch } from './validation.js';

/** Options of {@link randomTranslation}. */
export interface RandomTranslationOptions {
  /** Largest shift as a fraction of `[width, height]` (torchvision's `RandomAffine(translate=…)`). */
  fraction: [number, number];
  /** Value of pixels shifted in from outside the image (default: {@link RANDOM_TRANSLATION_DEFAULTS}). */
  fill?: number;
}

/**
 * Shifts each sample by a whole number of pixels drawn as torchvision's `RandomAffine` translate:
 * `dx = round(U(−fx·W, fx·W))`, `dy = round(U(−fy·H, fy·H))`; uncovered pixels take `fill`.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`; shifted pixels are exact copies.
 *
 * @example const out = randomTranslation({ fraction: [0.1, 0.1] })(images, rng);
 * @throws if a fraction is outside [0, 1].
 */
export function randomTranslation(options: RandomTranslationOptions): Augmentation {
  const [fx, fy] = options.fraction;
  if (!(options.fraction.length === 2 && fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) {
    throw new Error(`randomTranslation: fraction must be [fx, fy] with each in [0, 1]; got [${options.fraction}]`);
  }
  return (images, rng) => {
    expectImageBatch('randomTranslation', images);
    const [count, height, width] = images.shape;
    const coefficients = Array.from({ length: count }, () => {
      const dx = roundHalfEven(rng.uniform(-fx * width, fx * width));
      const dy = roundHalfEven(rng.uniform(-fy * height, fy * height));
      return [1, 0, -dx, 0, 1, -dy, 0, 0];
    });
    return projectiveTransform(images, coefficients, 'nearest', options.fill ?? RANDOM_TRANSLATION_DEFAULTS.fill);
  };
}
