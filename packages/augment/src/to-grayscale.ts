import { type Tensor4D, tf } from '@selfsup/backend';
import { LUMA } from './planar-color.js';
import { expectImageBatch } from './validation.js';

/**
 * The luma weights of torchvision's `rgb_to_grayscale`: ITU-R 601-2 (0.299, 0.587, 0.114), with
 * red rounded to 0.2989 as torchvision does.
 */
export const GRAYSCALE_WEIGHTS: readonly [number, number, number] = LUMA;

/**
 * Converts RGB images to grayscale: `0.2989·r + 0.587·g + 0.114·b` per pixel (torchvision's
 * `rgb_to_grayscale`), kept as 1 channel or repeated over `channels: 3` (equal channels, as
 * torchvision's `Grayscale(num_output_channels=3)`). 1-channel input is returned as a copy (or
 * repeated).
 *
 * Shapes: `[N, H, W, 3 | 1]` → `[N, H, W, channels]`.
 *
 * @example const gray = toGrayscale(images); // [N, H, W, 1]
 * @throws if images are not `[N, H, W, 1 | 3]` float32.
 */
export function toGrayscale(images: Tensor4D, options: { channels?: 1 | 3 } = {}): Tensor4D {
  expectImageBatch('toGrayscale', images, 'color');
  const channels = options.channels ?? 1;
  const [count, height, width, inputChannels] = images.shape;
  return tf.tidy(() => {
    if (inputChannels === 1) return channels === 1 ? tf.clone(images) : (tf.tile(images, [1, 1, 1, 3]) as Tensor4D);
    // A [N·H·W, 3] × [3, channels] product is one fast kernel; a weighted sum along the last axis
    // (or a broadcast back to 3 channels) is ~3× slower on wasm.
    const weights = tf.tile(tf.tensor2d([...LUMA], [3, 1], 'float32'), [1, channels]);
    return tf.reshape(tf.matMul(tf.reshape(images, [-1, 3]), weights), [count, height, width, channels]) as Tensor4D;
  });
}
