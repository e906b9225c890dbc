import {
  dataError,
  headerDimensionsOf,
  ImageReadError,
  imageFormatOf,
  MAX_IMAGE_PIXELS,
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

/** What Chromium, Firefox and Safari all decode (TIFF is not among them). */
const BROWSER_FORMATS = ['JPEG', 'PNG', 'GIF', 'WebP', 'AVIF'];

/** sRGB byte → linear light, and back (the luminance sharp's grayscale computes). */
const toLinear = Float64Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});
const toSrgb = (y: number) => 255 * (y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055);

/** Where the decoded bitmap goes on the output canvas (`cover` crops the source, `contain` pads). */
function placement(
  width: number,
  height: number,
  size: [number, number] | undefined,
  fit: 'cover' | 'contain',
): { source: [number, number, number, number]; target: [number, number, number, number]; out: [number, number] } {
  if (size === undefined) return { source: [0, 0, width, height], target: [0, 0, width, height], out: [height, width] };
  const [outHeight, outWidth] = size;
  if (fit === 'cover') {
    const scale = Math.max(outWidth / width, outHeight / height);
    const sw = outWidth / scale;
    const sh = outHeight / scale;
    return {
      source: [(width - sw) / 2, (height - sh) / 2, sw, sh],
      target: [0, 0, outWidth, outHeight],
      out: size,
    };
  }
  const scale = Math.min(outWidth / width, outHeight / height);
  const dw = Math.max(1, Math.round(width * scale));
  const dh = Math.max(1, Math.round(height * scale));
  return {
    source: [0, 0, width, height],
    target: [Math.floor((outWidth - dw) / 2), Math.floor((outHeight - dh) / 2), dw, dh],
    out: size,
  };
}

/**
 * Decodes one image in a browser — `createImageBitmap` (the browser's own decoders) then an
 * `OffscreenCanvas` — into 8-bit pixels at the requested size and channels: EXIF orientation
 * applied, first frame of animations, alpha flattened onto `background`, resized with the
 * canvas' high-quality filter then center-cropped (`cover`) or padded (`contain`); grayscale is
 * linear-light luminance (as sharp in Node). Reads a `File`/`Blob`, bytes or a URL (fetched).
 * Decoded JPEG pixels may differ from Node's (sharp) by a level or two; resized ones by more
 * (another filter); lossless formats at their own size decode identically.
 *
 * @param op the name errors start with.
 * @throws {ImageReadError} for an empty, non-image, unsupported (TIFF, BMP, SVG, HEIC …), too large
 * (over {@link MAX_IMAGE_PIXELS} pixels: PNG and GIF by their header, before decoding; others once
 * decoded), corrupt or unreachable source; an Error for a path string — paths are Node-only.
 * @example const { data, height, width } = await decodeImage(fileInput.files[0], { size: [64, 64] });
 */
export async function decodeImage(
  source: ImageSource,
  options: ReadImageOptions = {},
  op = 'readImage',
): Promise<DecodedImage> {
  checkReadImageOptions(op, options);
  if (typeof source === 'string') {
    throw new Error(
      `${op}: '${source}' is a file path, and reading a path is Node-only; in a browser pass a File (from <input type="file"> or listImageFiles(directoryHandle)), a Blob, an ArrayBuffer, a Uint8Array or a URL to fetch (new URL(path, location.href))`,
    );
  }
  const name = sourceName(source);
  const bytes = await bytesWithoutFileSystem(
    source,
    op,
    (reason, cause) => new ImageReadError(op, name, reason, cause),
  );
  if (bytes.length === 0) throw new ImageReadError(op, name, 'zero-byte file');
  const format = imageFormatOf(bytes.subarray(0, 16));
  if (format === undefined) {
    throw new ImageReadError(
      op,
      name,
      `not an image: the content is not ${BROWSER_FORMATS.slice(0, -1).join(', ')} or AVIF`,
    );
  }
  if (!BROWSER_FORMATS.includes(format.name)) {
    throw unsupportedFormat(op, name, format.name, `${BROWSER_FORMATS.join(', ')} in a browser`);
  }
  const stated = headerDimensionsOf(bytes.subarray(0, 32));
  if (stated !== undefined && stated.width * stated.height > MAX_IMAGE_PIXELS) {
    throw tooLargeError(op, name, stated.width, stated.height);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'default',
    });
  } catch (error) {
    throw dataError(op, name, error);
  }
  try {
    if (bitmap.width * bitmap.height > MAX_IMAGE_PIXELS) throw tooLargeError(op, name, bitmap.width, bitmap.height);
    const { source: s, target: t, out } = placement(bitmap.width, bitmap.height, options.size, options.fit ?? 'cover');
    const [height, width] = out;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
    if (context === null) throw new Error(`${op}: this browser gives no 2D OffscreenCanvas context`);
    const level = Math.round(255 * (options.background ?? 0));
    context.fillStyle = `rgb(${level}, ${level}, ${level})`;
    context.fillRect(0, 0, width, height);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, s[0], s[1], s[2], s[3], t[0], t[1], t[2], t[3]);
    const rgba = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data;
    const channels = options.channels ?? 3;
    const data = new Uint8Array(width * height * channels);
    for (let p = 0; p < width * height; p++) {
      const r = rgba[4 * p] as number;
      const g = rgba[4 * p + 1] as number;
      const b = rgba[4 * p + 2] as number;
      if (channels === 3) {
        data[3 * p] = r;
        data[3 * p + 1] = g;
        data[3 * p + 2] = b;
      } else {
        const y =
          0.2126 * (toLinear[r] as number) + 0.7152 * (toLinear[g] as number) + 0.0722 * (toLinear[b] as number);
        data[p] = Math.round(toSrgb(y));
      }
    }
    return { data, height, width, channels, sourceSize: [bitmap.height, bitmap.width] };
  } finally {
    bitmap.close();
  }
}
