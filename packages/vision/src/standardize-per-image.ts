import { type Tensor4D, tf } from '@selfsup/backend';

/**
 * Standardizes every image (or tile) of a batch on its own: (x − mean) / max(std, 1/√n) over its
 * n = H·W·C values, as `tf.image.per_image_standardization`. Jigsaw and relative-location tiles
 * go through it so that a network cannot match tiles by their brightness or contrast (Noroozi &
 * Favaro 2016, §3.2). A constant tile becomes all zeros.
 *
 * Shapes: [N, H, W, C] → [N, H, W, C].
 *
 * @example const tiles = standardizePerImage(rawTiles); // each tile: mean 0, std 1
 */
export function standardizePerImage(images: Tensor4D): Tensor4D {
  const [count, height, width, channels] = images.shape;
  const size = height * width * channels;
  return tf.tidy(() => {
    const flat = tf.reshape(images, [count, size]);
    const { mean, variance } = tf.moments(flat, 1, true);
    const std = tf.maximum(tf.sqrt(variance), 1 / Math.sqrt(size));
    return tf.reshape(tf.div(tf.sub(flat, mean), std), images.shape) as Tensor4D;
  });
}
