import { type Tensor4D, tf } from '@selfsup/backend';
import { applyColorSteps } from './color-steps.js';
import { expectFactors, expectImageBatch } from './validation.js';

/**
 * Scales saturation per sample: `clamp(f·x + (1 − f)·gray(x), 0, 1)` (torchvision's
 * `adjust_saturation`, a blend with the grayscale image, ITU-R 601 luma). Factor 1 is the
 * identity, 0 gives grayscale; 1-channel images are returned unchanged.
 *
 * Shapes: `[N, H, W, C]` (C = 1 or 3) and `factors` of length N → `[N, H, W, C]`.
 *
 * @example const vivid = adjustSaturation(images, [1.5, 0.5]);
 * @throws if there is not one factor ≥ 0 per sample.
 */
export function adjustSaturation(images: Tensor4D, factors: readonly number[]): Tensor4D {
  expectImageBatch('adjustSaturation', images, 'color');
  expectFactors('adjustSaturation', images, factors);
  if (images.shape[3] === 1) return tf.clone(images);
  return applyColorSteps(images, [
    { kind: 'linear', scale: [...factors], meanWeight: factors.map(() => 0), grayWeight: factors.map((f) => 1 - f) },
  ]);
}
