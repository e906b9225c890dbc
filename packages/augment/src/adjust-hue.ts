import type { Tensor4D } from '@selfsup/backend';
import { applyColorSteps } from './color-steps.js';
import { expectImageBatch } from './validation.js';

/**
 * Shifts hue per sample by a fraction of a turn in HSV (torchvision's `adjust_hue`: RGB → HSV,
 * `h ← (h + shift) mod 1`, HSV → RGB; saturation and value kept). Shift 0 is the identity (up to
 * float rounding, < 1e-6), ±0.5 gives the complementary hue; 1-channel images are returned
 * unchanged.
 *
 * Shapes: `[N, H, W, C]` (C = 1 or 3) and `shifts` of length N → `[N, H, W, C]`.
 *
 * @example const cyan = adjustHue(red, [0.5]);
 * @throws if there is not one shift in [−0.5, 0.5] per sample.
 */
export function adjustHue(images: Tensor4D, shifts: readonly number[]): Tensor4D {
  expectImageBatch('adjustHue', images, 'color');
  if (shifts.length !== images.shape[0] || !shifts.every((s) => s >= -0.5 && s <= 0.5)) {
    throw new Error(`adjustHue: needs one shift in [−0.5, 0.5] per sample (${images.shape[0]}); got [${shifts}]`);
  }
  return applyColorSteps(images, [{ kind: 'hue', shifts: [...shifts] }]);
}
