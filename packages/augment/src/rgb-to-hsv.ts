import { type Tensor4D, tf } from '@selfsup/backend';
import { fromPlanes, hueValueChroma, toPlanes } from './planar-color.js';
import { expectImageBatch } from './validation.js';

/**
 * RGB → HSV as torchvision's `_rgb2hsv`: hue in [0, 1) (a fraction of a turn; 0 for gray
 * pixels), saturation `(max − min) / max` (0 for black), value `max`.
 *
 * Shapes: `[N, H, W, 3]` in [0, 1] → `[N, H, W, 3]` as (h, s, v), each in [0, 1].
 *
 * @example const hsv = rgbToHsv(images);
 * @throws if images are not `[N, H, W, 3]` float32.
 */
export function rgbToHsv(images: Tensor4D): Tensor4D {
  expectImageBatch('rgbToHsv', images);
  if (images.shape[3] !== 3) throw new Error(`rgbToHsv: images must have 3 channels; got ${images.shape[3]}`);
  return tf.tidy(() => {
    const [r, g, b] = toPlanes(images);
    const { hue, value, chroma } = hueValueChroma(r, g, b);
    const black = tf.sub(1, tf.step(value));
    const saturation = tf.div(chroma, tf.add(tf.mul(value, tf.sub(1, black)), black));
    return fromPlanes([hue, saturation, value] as Tensor4D[]);
  });
}
