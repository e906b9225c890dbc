import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Tensor, tf } from '@selfsup/backend';
import sharp from 'sharp';

/**
 * Writes an image tensor to a PNG file (8 bits per channel), creating its folder. Values are
 * clamped to [0, 1] and rounded to 0–255.
 *
 * Shapes: `[H, W, C]` or `[1, H, W, C]` with C = 1 (grayscale) or 3 (RGB).
 *
 * @example await writePng(view.slice([0, 0, 0, 0], [1, 32, 32, 3]), 'out/view.png');
 * @throws if the tensor is not one image with 1 or 3 channels; if the file cannot be written.
 */
export async function writePng(image: Tensor, path: string): Promise<void> {
  const shape = image.rank === 4 && image.shape[0] === 1 ? image.shape.slice(1) : image.shape;
  const [height, width, channels] = shape as [number, number, number];
  if (shape.length !== 3 || (channels !== 1 && channels !== 3)) {
    throw new Error(`writePng: expected an image [H, W, 1|3] or [1, H, W, 1|3]; got [${image.shape}]`);
  }
  const bytes = tf.tidy(() => tf.round(tf.mul(tf.clipByValue(tf.reshape(image, shape), 0, 1), 255)).dataSync());
  await mkdir(dirname(path), { recursive: true });
  const encoder = sharp(Buffer.from(Uint8Array.from(bytes)), { raw: { width, height, channels } });
  await (channels === 1 ? encoder.toColourspace('b-w') : encoder).png().toFile(path);
}
