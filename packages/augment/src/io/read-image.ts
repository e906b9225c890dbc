import { stat } from 'node:fs/promises';
import { type Tensor3D, type Tensor4D, tf } from '@selfsup/backend';
import sharp from 'sharp';
import { imageReadError } from './image-errors.js';

export interface ReadImageOptions {
  /** Output [height, width]; default: the image's own size. */
  size?: [number, number];
  /** 1 (grayscale) or 3 (RGB; alpha dropped). Default 3. */
  channels?: 1 | 3;
  /** `cover`: resize then center-crop to fill (default); `contain`: resize to fit and pad. */
  fit?: 'cover' | 'contain';
  /** Padding value in [0, 1] for `contain` (default 0). */
  background?: number;
}

/** Decoded pixels of one image: uint8 [height, width, channels]. */
export interface DecodedImage {
  data: Uint8Array;
  height: number;
  width: number;
  channels: 1 | 3;
}

/**
 * Decodes an image file with sharp (libvips) into uint8 pixels at the requested size and
 * channels. Fails on truncated data (sharp's `failOn: 'truncated'`).
 * @throws naming the file and the reason: not found, zero-byte, unsupported format, corrupt.
 */
export async function decodeImage(
  path: string,
  options: ReadImageOptions = {},
  op = 'readImage',
): Promise<DecodedImage> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw imageReadError(op, path, error);
  }
  if (size === 0) throw new Error(`${op}: ${path} is not a readable image (zero-byte file)`);
  const channels = options.channels ?? 3;
  try {
    let pipeline = sharp(path, { failOn: 'truncated', animated: false }).rotate();
    if (options.size !== undefined) {
      const [height, width] = options.size;
      const background = Math.round(255 * (options.background ?? 0));
      pipeline = pipeline.resize({
        width,
        height,
        fit: options.fit ?? 'cover',
        position: 'centre',
        background: { r: background, g: background, b: background, alpha: 1 },
      });
    }
    pipeline =
      channels === 1
        ? pipeline.flatten({ background: '#000000' }).grayscale().toColourspace('b-w')
        : pipeline.flatten({ background: '#000000' }).toColourspace('srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) {
      throw new Error(`decoded ${info.channels} channels where ${channels} were requested`);
    }
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      height: info.height,
      width: info.width,
      channels,
    };
  } catch (error) {
    throw imageReadError(op, path, error);
  }
}

/**
 * Reads one JPEG, PNG, WebP, GIF, TIFF or AVIF file into a float32 tensor [height, width, C] in
 * [0, 1] (resized and center-cropped, or padded, when `size` is given).
 * @example const image = await readImage('photo.jpg', { size: [96, 96] });
 * @throws naming the file and the reason for a missing, empty, corrupt or non-image file.
 */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<Tensor3D> {
  const image = await decodeImage(path, options);
  return tf.tidy(
    () => tf.div(tf.tensor3d(image.data, [image.height, image.width, image.channels], 'float32'), 255) as Tensor3D,
  );
}

/**
 * Reads several files into one batch [N, height, width, C]; `size` is required so they stack.
 * Files are decoded concurrently (libuv's thread pool).
 */
export async function readImages(
  paths: readonly string[],
  options: ReadImageOptions & { size: [number, number] },
): Promise<Tensor4D> {
  const decoded = await Promise.all(paths.map((path) => decodeImage(path, options, 'readImages')));
  return stackDecoded(decoded, options.size, options.channels ?? 3);
}

/** Stacks decoded images of one size into a float32 batch in [0, 1]. */
export function stackDecoded(images: readonly DecodedImage[], size: [number, number], channels: 1 | 3): Tensor4D {
  const pixels = size[0] * size[1] * channels;
  const values = new Float32Array(images.length * pixels);
  images.forEach((image, i) => {
    for (let p = 0; p < pixels; p++) values[i * pixels + p] = (image.data[p] as number) / 255;
  });
  return tf.tensor4d(values, [images.length, size[0], size[1], channels]);
}
