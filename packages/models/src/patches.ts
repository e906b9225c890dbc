import { type Tensor, type Tensor3D, type Tensor4D, tf } from '@selfsup/backend';

/**
 * Cuts images into non-overlapping square patches, row by row: [N, H, W, C] →
 * [N, (H/p)·(W/p), p·p·C], each patch flattened in (row, column, channel) order (as ViT and MAE).
 *
 * @throws if H or W is not a multiple of the patch size.
 */
export function patchify(images: Tensor4D, patchSize: number): Tensor3D {
  const [batch, height, width, channels] = images.shape;
  if (height % patchSize !== 0 || width % patchSize !== 0) {
    throw new Error(`patchify: image size ${height}×${width} is not a multiple of the patch size ${patchSize}`);
  }
  const rows = height / patchSize;
  const cols = width / patchSize;
  return tf.tidy(() =>
    tf.reshape(
      tf.transpose(tf.reshape(images, [batch, rows, patchSize, cols, patchSize, channels]), [0, 1, 3, 2, 4, 5]),
      [batch, rows * cols, patchSize * patchSize * channels],
    ),
  ) as Tensor3D;
}

/** The inverse of {@link patchify}: [N, rows·cols, p·p·C] → [N, rows·p, cols·p, C]. */
export function unpatchify(patches: Tensor, patchSize: number, rows: number, cols: number, channels: number): Tensor4D {
  const batch = patches.shape[0] as number;
  return tf.tidy(() =>
    tf.reshape(
      tf.transpose(tf.reshape(patches, [batch, rows, cols, patchSize, patchSize, channels]), [0, 1, 3, 2, 4, 5]),
      [batch, rows * patchSize, cols * patchSize, channels],
    ),
  ) as Tensor4D;
}
