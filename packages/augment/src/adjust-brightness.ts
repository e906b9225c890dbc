import type { Tensor4D } from '@selfsup/backend';
import { applyColorSteps } from './color-steps.js';
import { expectFactors, expectImageBatch } from './validation.js';

/**
 * Scales brightness per sample: `clamp(f·x, 0, 1)` (torchvision's `adjust_brightness`, a blend
 * with black). Factor 1 is the identity, 0 gives black.
 *
 * Shapes: `[N, H, W, C]` (C = 1 or 3) and `factors` of length N → `[N, H, W, C]`.
 *
 * @example const brighter = adjustBrightness(images, [1.2, 0.8]);
 * @throws if there is not one factor ≥ 0 per sample.
 */
export function adjustBrightness(images: Tensor4D, factors: readonly number[]): Tensor4D {
  expectImageBatch('adjustBrightness', images, 'color');
  expectFactors('adjustBrightness', images, factors);
  const zeros = factors.map(() => 0);
  return applyColorSteps(images, [{ kind: 'linear', scale: [...factors], meanWeight: zeros, grayWeight: zeros }]);
}
