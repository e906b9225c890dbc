import type { Augmentation } from './augmentation.js';
import { projectiveTransform } from './projective-transform.js';
import { RANDOM_ROTATION_DEFAULTS } from './random-rotation-declaration.js';
import { expectImageBatch, expectRange } from './validation.js';

/** Options of {@link randomRotation}. */
export interface RandomRotationOptions {
  /** Angle range in degrees, `[low, high]`, or `d` for `[−d, d]` (torchvision's `degrees`). */
  degrees: number | [number, number];
  /** `'bilinear'` or `'nearest'` (torchvision's default; default here: {@link RANDOM_ROTATION_DEFAULTS}). */
  interpolation?: 'bilinear' | 'nearest';
  /** Value of pixels rotated in from outside the image (default: {@link RANDOM_ROTATION_DEFAULTS}). */
  fill?: number;
}

/**
 * Rotates each sample by an angle drawn uniformly from `degrees` about the image center,
 * counter-clockwise for positive angles as displayed (torchvision's `RandomRotation` with
 * `expand=False`); corners rotated in from outside take `fill`.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`. One projective transform per sample, in one
 * `tf.image.transform` call.
 *
 * @example const out = randomRotation({ degrees: 15 })(images, rng);
 * @throws if `degrees` is not a number ≥ 0 or a `[low, high]` range.
 */
export function randomRotation(options: RandomRotationOptions): Augmentation {
  const range: [number, number] =
    typeof options.degrees === 'number' ? [-options.degrees, options.degrees] : options.degrees;
  expectRange('randomRotation', 'degrees', range);
  const interpolation = options.interpolation ?? RANDOM_ROTATION_DEFAULTS.interpolation;
  return (images, rng) => {
    expectImageBatch('randomRotation', images);
    const [count, height, width] = images.shape;
    const cx = (width - 1) / 2;
    const cy = (height - 1) / 2;
    const coefficients = Array.from({ length: count }, () => {
      const theta = (rng.uniform(range[0], range[1]) * Math.PI) / 180;
      const cos = Math.cos(theta);
      const sin = Math.sin(theta);
      // Output (x, y) samples the input at R(−θ) about the center; y grows downwards, so a
      // positive θ turns the content counter-clockwise on screen.
      return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy, 0, 0];
    });
    return projectiveTransform(images, coefficients, interpolation, options.fill ?? RANDOM_ROTATION_DEFAULTS.fill);
  };
}
