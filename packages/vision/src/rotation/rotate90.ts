import { type Tensor4D, tf } from '@selfsup/backend';

/**
 * Rotates a batch of square images [N, S, S, C] by k quarter turns counter-clockwise (as
 * `torch.rot90(x, k, dims=(H, W))` and `np.rot90`). k is taken modulo 4.
 */
export function rotate90(images: Tensor4D, k: number): Tensor4D {
  const turns = ((k % 4) + 4) % 4;
  return tf.tidy(() => {
    switch (turns) {
      case 0:
        return tf.clone(images);
      case 1:
        return tf.reverse(tf.transpose(images, [0, 2, 1, 3]), 1) as Tensor4D;
      case 2:
        return tf.reverse(images, [1, 2]) as Tensor4D;
      default:
        return tf.reverse(tf.transpose(images, [0, 2, 1, 3]), 2) as Tensor4D;
    }
  });
}
