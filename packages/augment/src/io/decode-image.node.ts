import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import {
  dataError,
  fileError,
  headerError,
  ImageReadError,
  MAX_IMAGE_PIXELS,
  SUPPORTED_FORMATS,
  tooLargeError,
  unsupportedFormat,
} from './image-read-error.js';
import {
  bytesWithoutFileSystem,
  checkReadImageOptions,
  type DecodedImage,
  type ImageSource,
  type ReadImageOptions,
  sourceName,
} from './image-source.js';

async function bytesOf(source: ImageSource, op: string, name: string): Promise<Uint8Array> {
  const path =
    typeof source === 'string'
      ? source
      : source instanceof URL && source.protocol === 'file:'
        ? fileURLToPath(source)
        : undefined;
  if (path === undefined) {
    return bytesWithoutFileSystem(
      source as Exclude<ImageSource, string>,
      op,
      (reason, cause) => new ImageReadError(op, name, reason, cause),
    );
  }
  try {
    return await readFile(path);
  } catch (error) {
    throw fileError(op, name, error);
  }
}

/**
 * Decodes one image with sharp (libvips) into 8-bit pixels at the requested size and channels:
 * EXIF orientation applied, first frame of animations, alpha flattened onto `background`, 16-bit
 * images reduced to 8 bits, resized with libvips' antialiasing filter (Lanczos 3) then
 * center-cropped (`cover`) or padded (`contain`); grayscale is sharp's (linear-light luminance).
 * Reads a path, a `file:`/`http(s):` URL, a `Blob`/`File` or the bytes.
 *
 * @param op the name errors start with.
 * @throws {ImageReadError} naming the file and the reason: not found, zero-byte file, not an
 * image, unsupported image format (BMP, SVG, HEIC …), too large (over {@link MAX_IMAGE_PIXELS}
 * pixels, said with its size), corrupt or truncated data.
 * @example const { data, height, width } = await decodeImage('cat.jpg', { size: [64, 64] });
 */
export async function decodeImage(
  source: ImageSource,
  options: ReadImageOptions = {},
  op = 'readImage',
): Promise<DecodedImage> {
  checkReadImageOptions(op, options);
  const name = sourceName(source);
  const bytes = await bytesOf(source, op, name);
  if (bytes.length === 0) throw new ImageReadError(op, name, 'zero-byte file');
  let metadata: Metadata;
  try {
    // No pixel limit here: the header's size is checked below, to say "too large", not "corrupt".
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw headerError(op, name, error, bytes.subarray(0, 16));
  }
  const format = metadata.format as string | undefined;
  if (format === 'heif' && metadata.compression !== 'av1') {
    throw unsupportedFormat(op, name, metadata.compression === 'hevc' ? 'HEIC' : `HEIF/${metadata.compression ?? '?'}`);
  }
  if (format === undefined || !(SUPPORTED_FORMATS as readonly string[]).includes(format)) {
    throw unsupportedFormat(op, name, format === undefined ? 'unknown' : format.toUpperCase());
  }
  const { width = 0, height = 0 } = metadata;
  if (width * height > MAX_IMAGE_PIXELS) throw tooLargeError(op, name, width, height);
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
    throw dataError(op, name, error);
  }
  const { data, info } = decoded;
  if (info.channels !== channels)
    throw dataError(op, name, `decoded ${info.channels} channels where ${channels} were requested`);
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    height: info.height,
    width: info.width,
    channels,
    sourceSize: [height, width],
  };
}
