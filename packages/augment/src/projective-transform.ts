import { type Tensor4D, tf } from '@selfsup/backend';

/**
 * Resamples each sample with its own inverse projective map (`tf.image.transform`): row n of
 * `coefficients` is `[a0, a1, a2, b0, b1, b2, c0, c1]`, mapping output pixel (x, y) to input
 * `((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k)` with `k = c0·x + c1·y + 1`, pixel centers at
 * integer coordinates. Samples outside the image get `fill`.
 */
export function projectiveTransform(
  images: Tensor4D,
  coefficients: readonly number[][],
  interpolation: 'bilinear' | 'nearest',
  fill: number,
): Tensor4D {
  return tf.tidy(
    () =>
      tf.image.transform(
        images,
        tf.tensor2d(coefficients as number[][], [coefficients.length, 8], 'float32'),
        interpolation,
        'constant',
        fill,
      ) as Tensor4D,
  );
}
