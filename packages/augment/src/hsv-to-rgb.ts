import { type Tensor4D, tf } from '@selfsup/backend';
import { fromPlanes, rgbFromHueValueChroma, toPlanes } from './planar-color.js';
import { expectImageBatch } from './validation.js';

/**
 * HSV → RGB, the inverse of {@link rgbToHsv} (torchvision's `_hsv2rgb`, in its branch-free form
 * `channel = v − v·s·clip(2 − |k − 2|, 0, 1)`, `k = (n + 6h) mod 6`, n = 5, 3, 1).
 *
 * Shapes: `[N, H, W, 3]` as (h, s, v) → `[N, H, W, 3]` RGB in [0, 1].
 *
 * @example const rgb = hsvToRgb(rgbToHsv(images)); // ≈ images (|error| < 1e-6)
 * @throws if the input is not `[N, H, W, 3]` float32.
 */
export function hsvToRgb(hsv: Tensor4D): Tensor4D {
  expectImageBatch('hsvToRgb', hsv);
  if (hsv.shape[3] !== 3) throw new Error(`hsvToRgb: input must have 3 channels (h, s, v); got ${hsv.shape[3]}`);
  return tf.tidy(() => {
    const [h, s, v] = toPlanes(hsv);
    return fromPlanes(rgbFromHueValueChroma(h, v, tf.mul(v, s)));
  });
}
