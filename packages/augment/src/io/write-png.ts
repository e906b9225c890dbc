import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Tensor, tf } from '@selfsup/backend';
import sharp from 'sharp';

/**
 * Writes an image tensor [H, W, C] or [1, H, W, C] (values in [0, 1], clamped; C = 1 or 3) to a
 * PNG file, creating its folder.
 */
export async function writePng(image: Tensor, path: string): Promise<void> {
  const rank3 = image.rank === 4 && image.shape[0] === 1 ? image.shape.slice(1) : image.shape;
  const [height, width, channels] = rank3 as [number, number, number];
  if (rank3.length !== 3 || (channels !== 1 && channels !== 3)) {
    throw new Error(`writePng: expected an image [H, W, 1|3] or [1, H, W, 1|3]; got [${image.shape}]`);
  }
  const bytes = tf.tidy(() =>
    tf.cast(tf.round(tf.mul(tf.clipByValue(tf.reshape(image, rank3), 0, 1), 255)), 'int32').dataSync(),
  );
  await mkdir(dirname(path), { recursive: true });
  await sharp(Buffer.from(Uint8Array.from(bytes)), { raw: { width, height, channels } })
    .png()
    .toFile(path);
}
