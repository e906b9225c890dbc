import { readFile } from 'node:fs/promises';
import { type Tensor3D, type Tensor4D, tf } from '@selfsup/backend';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { expectSize } from '../validation.js';
import {
  dataError,
  fileError,
  headerError,
  ImageReadError,
  SUPPORTED_FORMATS,
  unsupportedFormat,
} from './image-read-error.js';

/** Options of {@link readImage}, {@link readImages} and the folder loaders. */
export interface ReadImageOptions {
  /** Output `[height, width]`; default: the image's own size (required to stack a batch). */
  size?: [number, number];
  /** 1 (grayscale, ITU-R 601 luma) or 3 (sRGB). Default 3. */
  channels?: 1 | 3;
  /** `'cover'` (default): resize to fill, then center-crop; `'contain'`: resize to fit, then pad. */
  fit?: 'cover' | 'contain';
  /** Value in [0, 1] for the padding of `contain` and under transparent pixels (default 0, black). */
  background?: number;
}

/** The decoded pixels of one image: uint8 `[height, width, channels]`, row-major. */
export interface DecodedImage {
  data: Uint8Array;
  height: number;
  width: number;
  channels: 1 | 3;
}

/** Validates {@link ReadImageOptions} (at once, rather than per file). */
export function checkReadImageOptions(op: string, options: ReadImageOptions): void {
  if (options.size !== undefined) expectSize(op, 'size', options.size);
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 3) {
    throw new Error(`${op}: channels must be 1 or 3; got ${options.channels}`);
  }
  if (options.fit !== undefined && options.fit !== 'cover' && options.fit !== 'contain') {
    throw new Error(`${op}: fit must be 'cover' or 'contain'; got ${options.fit}`);
  }
  const background = options.background ?? 0;
  if (!(background >= 0 && background <= 1)) throw new Error(`${op}: background must be in [0, 1]; got ${background}`);
}

/**
 * Decodes one image file with sharp (libvips) into 8-bit pixels at the requested size and
 * channels: EXIF orientation applied, first frame of animations, alpha flattened onto
 * `background`, 16-bit images reduced to 8 bits, resized with libvips' antialiasing filter
 * (Lanczos 3) then center-cropped (`cover`) or padded (`contain`).
 *
 * @param op the name errors start with.
 * @throws {ImageReadError} naming the file and the reason: not found, zero-byte file, not an
 * image, unsupported image format (BMP, SVG, HEIC …), corrupt or truncated data.
 * @example const { data, height, width } = await decodeImage('cat.jpg', { size: [64, 64] });
 */
export async function decodeImage(
  path: string,
  options: ReadImageOptions = {},
  op = 'readImage',
): Promise<DecodedImage> {
  checkReadImageOptions(op, options);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw fileError(op, path, error);
  }
  if (bytes.length === 0) throw new ImageReadError(op, path, 'zero-byte file');
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes).metadata();
  } catch (error) {
    throw headerError(op, path, error, bytes.subarray(0, 16));
  }
  const format = metadata.format as string | undefined;
  if (format === 'heif' && metadata.compression !== 'av1') {
    throw unsupportedFormat(op, path, metadata.compression === 'hevc' ? 'HEIC' : `HEIF/${metadata.compression ?? '?'}`);
  }
  if (format === undefined || !(SUPPORTED_FORMATS as readonly string[]).includes(format)) {
    throw unsupportedFormat(op, path, format === undefined ? 'unknown' : format.toUpperCase());
  }
  const channels = options.channels ?? 3;
  const level = Math.round(255 * (options.background ?? 0));
  const background = { r: level, g: level, b: level, alpha: 1 };
  let pipeline = sharp(bytes, { failOn: 'truncated', animated: false }).rotate();
  if (options.size !== undefined) {
    const [height, width] = options.size;
    pipeline = pipeline.resize({ width, height, fit: options.fit ?? 'cover', position: 'centre', background });
  }
  pipeline = pipeline.flatten({ background });
  pipeline = channels === 1 ? pipeline.grayscale().toColourspace('b-w') : pipeline.toColourspace('srgb');
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw dataError(op, path, error);
  }
  const { data, info } = decoded;
  if (info.channels !== channels)
    throw dataError(op, path, `decoded ${info.channels} channels where ${channels} were requested`);
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    height: info.height,
    width: info.width,
    channels,
  };
}

/**
 * Reads one JPEG, PNG, WebP, GIF, TIFF or AVIF file into a float32 tensor in [0, 1], resized and
 * center-cropped (`fit: 'cover'`) or padded (`'contain'`) when `size` is given. See
 * {@link decodeImage} for the decoding details.
 *
 * Shapes: → `[height, width, channels]`.
 *
 * @example const image = await readImage('photos/cat.jpg', { size: [96, 96] }); // [96, 96, 3]
 * @throws {ImageReadError} for a missing, empty, corrupt, non-image or unsupported file, e.g.
 * `readImage: /x/a.png is not a readable image (zero-byte file)`.
 */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<Tensor3D> {
  return toTensor(await decodeImage(path, options));
}

/** Options of {@link readImages}. */
export interface ReadImagesOptions extends ReadImageOptions {
  /** Output `[height, width]` of every image (required so they stack). */
  size: [number, number];
  /** Files decoded at once, on libuv's thread pool (default 8). */
  concurrency?: number;
}

/**
 * Reads several files into one batch, in the given order, decoding `concurrency` at a time.
 *
 * Shapes: `paths` of length N → `[N, size[0], size[1], channels]` in [0, 1].
 *
 * @example const batch = await readImages(['a.png', 'b.jpg'], { size: [32, 32] }); // [2, 32, 32, 3]
 * @throws {ImageReadError} for the first unreadable file (nothing is returned then).
 */
export async function readImages(paths: readonly string[], options: ReadImagesOptions): Promise<Tensor4D> {
  checkReadImageOptions('readImages', options);
  if (options.size === undefined) throw new Error('readImages: size is required so the images stack');
  const concurrency = options.concurrency ?? 8;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new Error(`readImages: concurrency must be a positive integer; got ${concurrency}`);
  }
  const decoded = new Array<DecodedImage>(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      decoded[i] = await decodeImage(paths[i] as string, options, 'readImages');
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return stackDecoded(decoded, options.size, options.channels ?? 3);
}

function toTensor(image: DecodedImage): Tensor3D {
  const stacked = stackDecoded([image], [image.height, image.width], image.channels);
  const single = tf.reshape(stacked, [image.height, image.width, image.channels]) as Tensor3D;
  stacked.dispose();
  return single;
}

/** Stacks decoded images of one size into a float32 batch `[N, height, width, channels]` in [0, 1]. */
export function stackDecoded(
  images: readonly DecodedImage[],
  size: readonly [number, number],
  channels: 1 | 3,
): Tensor4D {
  const pixels = size[0] * size[1] * channels;
  const values = new Float32Array(images.length * pixels);
  images.forEach((image, i) => {
    const offset = i * pixels;
    for (let p = 0; p < pixels; p++) values[offset + p] = (image.data[p] as number) / 255;
  });
  return tf.tensor4d(values, [images.length, size[0], size[1], channels], 'float32');
}
