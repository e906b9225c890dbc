import { type Tensor, tf } from '@selfsup/backend';
import { pngBlob, writePngFile } from '#png-file';

/**
 * Encodes an image tensor as a PNG `Blob` (8 bits per channel), on both platforms: sharp in Node
 * (grayscale stays one channel), `OffscreenCanvas.convertToBlob` in a browser (RGBA). Values are
 * clamped to [0, 1] and rounded to 0–255.
 *
 * Shapes: `[H, W, C]` or `[1, H, W, C]` with C = 1 (grayscale) or 3 (RGB).
 *
 * @example const url = URL.createObjectURL(await encodePng(image)); // an <img> src in a page
 * @throws if the tensor is not one image with 1 or 3 channels.
 */
export async function encodePng(image: Tensor): Promise<Blob> {
  return pngOf(image, 'encodePng');
}

/** {@link encodePng}, its errors starting with `op`. */
export async function pngOf(image: Tensor, op: string): Promise<Blob> {
  const shape = image.rank === 4 && image.shape[0] === 1 ? image.shape.slice(1) : image.shape;
  const [height, width, channels] = shape as [number, number, number];
  if (shape.length !== 3 || (channels !== 1 && channels !== 3)) {
    throw new Error(`${op}: expected an image [H, W, 1|3] or [1, H, W, 1|3]; got [${image.shape}]`);
  }
  // Read asynchronously: WebGPU has no synchronous readback.
  const rounded = tf.tidy(() => tf.round(tf.mul(tf.clipByValue(tf.reshape(image, shape), 0, 1), 255)));
  let bytes: Float32Array;
  try {
    bytes = (await rounded.data()) as Float32Array;
  } finally {
    rounded.dispose();
  }
  return pngBlob(Uint8Array.from(bytes), width, height, channels);
}

/**
 * Writes an image tensor to a PNG file (8 bits per channel), creating its folder — Node only; in a
 * browser it throws and names {@link encodePng}. Values are clamped to [0, 1] and rounded to 0–255.
 *
 * Shapes: `[H, W, C]` or `[1, H, W, C]` with C = 1 (grayscale) or 3 (RGB).
 *
 * @example await writePng(view.slice([0, 0, 0, 0], [1, 32, 32, 3]), 'out/view.png');
 * @throws if the tensor is not one image with 1 or 3 channels; if the file cannot be written; in a
 * browser, always (no file system).
 */
export async function writePng(image: Tensor, path: string): Promise<void> {
  await writePngFile(path, await pngOf(image, 'writePng'), 'writePng');
}
