import type { Tensor4D } from '@selfsup/backend';
import { applyColorSteps } from './color-steps.js';
import { expectFactors, expectImageBatch } from './validation.js';

/**
 * Scales contrast per sample: `clamp(f·x + (1 − f)·m, 0, 1)` with m the mean luma of the image
 * (torchvision's `adjust_contrast`, a blend with the mean gray). Factor 1 is the identity, 0
 * gives a flat gray image.
 *
 * Shapes: `[N, H, W, C]` (C = 1 or 3) and `factors` of length N → `[N, H, W, C]`.
 *
 * @example const flatter = adjustContrast(images, [0.5, 1.5]);
 * @throws if there is not one factor ≥ 0 per sample.
 */
export function adjustContrast(images: Tensor4D, factors: readonly number[]): Tensor4D {
  expectImageBatch('adjustContrast', images, 'color');
  expectFactors('adjustContrast', images, factors);
  return applyColorSteps(images, [
    { kind: 'linear', scale: [...factors], meanWeight: factors.map((f) => 1 - f), grayWeight: factors.map(() => 0) },
  ]);
}
