import { type Tensor4D, tf } from '@selfsup/backend';

/** Where one square tile is cut from a batch of images. */
export interface TileBox {
  /** The image, a row of the batch. */
  image: number;
  /** Top-left corner in pixels. */
  top: number;
  left: number;
}

/**
 * Cuts square tiles out of a batch of images in one gather: tile k is the `size`×`size` window of
 * image `boxes[k].image` whose top-left corner is (`top`, `left`). `channelShifts` (one [dy, dx]
 * per tile and channel, optional) moves each colour channel's window on its own, clamped to the
 * image — Noroozi & Favaro's colour-channel jitter against chromatic aberration.
 *
 * Shapes: images [N, H, W, C] → tiles [boxes.length, size, size, C].
 *
 * @example const tiles = extractTiles(images, [{ image: 0, top: 2, left: 3 }], 7); // [1, 7, 7, C]
 * @throws if a box leaves its image or names an image outside the batch.
 */
export function extractTiles(
  images: Tensor4D,
  boxes: readonly TileBox[],
  size: number,
  channelShifts?: ArrayLike<number>,
): Tensor4D {
  const [count, height, width, channels] = images.shape;
  if (channelShifts !== undefined && channelShifts.length !== boxes.length * channels * 2) {
    throw new Error(
      `extractTiles: channelShifts needs ${boxes.length * channels * 2} values (a [dy, dx] per tile and channel); got ${channelShifts.length}`,
    );
  }
  const indices = new Int32Array(boxes.length * size * size * channels);
  let write = 0;
  boxes.forEach(({ image, top, left }, k) => {
    if (!(Number.isInteger(image) && image >= 0 && image < count)) {
      throw new Error(`extractTiles: tile ${k} names image ${image} of a batch of ${count}`);
    }
    if (!(top >= 0 && left >= 0 && top + size <= height && left + size <= width)) {
      throw new Error(
        `extractTiles: tile ${k} at (${top}, ${left}) of size ${size} leaves the ${height}×${width} image`,
      );
    }
    const base = image * height * width * channels;
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        for (let channel = 0; channel < channels; channel++) {
          let y = top + row;
          let x = left + col;
          if (channelShifts !== undefined) {
            const shift = (k * channels + channel) * 2;
            y = Math.min(height - 1, Math.max(0, y + (channelShifts[shift] as number)));
            x = Math.min(width - 1, Math.max(0, x + (channelShifts[shift + 1] as number)));
          }
          indices[write++] = base + (y * width + x) * channels + channel;
        }
      }
    }
  });
  return tf.tidy(() => {
    const flat = tf.reshape(images, [count * height * width * channels]);
    const gathered = tf.gather(flat, tf.tensor1d(indices, 'int32'));
    return tf.reshape(gathered, [boxes.length, size, size, channels]) as Tensor4D;
  });
}
