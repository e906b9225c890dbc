/** Formats `readImage` accepts, as sharp's `metadata().format` names them (AVIF is HEIF with AV1). */
export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif'] as const;

const SUPPORTED_NAMES = 'JPEG, PNG, WebP, GIF, TIFF, AVIF';

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));

/** Image formats recognized by their first bytes: the supported ones, then others worth naming. */
const SIGNATURES: Array<[string, boolean, (b: Uint8Array) => boolean]> = [
  ['JPEG', true, (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['PNG', true, (b) => ascii(b, 1, 4) === 'PNG' && b[0] === 0x89],
  ['GIF', true, (b) => ascii(b, 0, 4) === 'GIF8'],
  ['WebP', true, (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP'],
  ['TIFF', true, (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*'],
  ['AVIF', true, (b) => ascii(b, 4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(b, 8, 12))],
  ['HEIC', false, (b) => ascii(b, 4, 8) === 'ftyp' && /^(heic|heix|hevc|mif1|msf1)$/.test(ascii(b, 8, 12))],
  ['BMP', false, (b) => ascii(b, 0, 2) === 'BM'],
  ['PSD', false, (b) => ascii(b, 0, 4) === '8BPS'],
  ['ICO', false, (b) => b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0],
  ['JPEG XL', false, (b) => (b[0] === 0xff && b[1] === 0x0a) || ascii(b, 4, 8) === 'JXL '],
  ['PDF', false, (b) => ascii(b, 0, 4) === '%PDF'],
  ['SVG', false, (b) => /^\s*(<\?xml|<svg)/i.test(ascii(b, 0, 16))],
];

/**
 * An image file that could not be read: `path` names the file and `reason` says why (file not
 * found, zero-byte file, not an image, unsupported image format …, corrupt or truncated image
 * data …). The message reads `<op>: <path> is not a readable image (<reason>)`.
 *
 * @example
 * try { await readImage('a.png'); } catch (e) { if (e instanceof ImageReadError) console.warn(e.path, e.reason); }
 */
export class ImageReadError extends Error {
  readonly path: string;
  readonly reason: string;

  constructor(op: string, path: string, reason: string, cause?: unknown) {
    super(`${op}: ${path} is not a readable image (${reason})`, cause === undefined ? undefined : { cause });
    this.name = 'ImageReadError';
    this.path = path;
    this.reason = reason;
  }
}

/**
 * libvips' detail, when there is a useful one. Its error buffer is shared between threads, so
 * under concurrent decodes the text can be empty ("Unknown error") or truncated: reasons are
 * decided from what failed and the file's first bytes, the text only adds detail.
 */
function detail(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? '';
  const cleaned = message.replace(
    /^Input (file|buffer) (has corrupt header|contains unsupported image format):?\s*/i,
    '',
  );
  return cleaned === '' || /^unknown error$/i.test(cleaned) ? '' : `: ${cleaned}`;
}

/** A file-system error reading `path`. */
export function fileError(op: string, path: string, error: unknown): ImageReadError {
  const code = (error as { code?: string } | undefined)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'file not found',
    EISDIR: 'a directory, not an image',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  };
  const reason =
    (code === undefined ? undefined : reasons[code]) ?? (error instanceof Error ? error.message : String(error));
  return new ImageReadError(op, path, reason, error);
}

/**
 * The image format the first bytes announce, and whether selfsup reads it (in Node; a browser
 * decodes JPEG, PNG, GIF, WebP and AVIF), or `undefined` when they are no known image format.
 */
export function imageFormatOf(head: Uint8Array): { name: string; supported: boolean } | undefined {
  const match = SIGNATURES.find(([, , test]) => test(head));
  return match === undefined ? undefined : { name: match[0], supported: match[1] };
}

/**
 * The most pixels (width × height) an image may have: libvips' default input limit (sharp's
 * `limitInputPixels`), 16383 × 16383. A larger image is refused before it is decoded (a file of a
 * few KiB may claim billions of pixels), on both platforms, with {@link tooLargeError}.
 */
export const MAX_IMAGE_PIXELS = 0x3fff * 0x3fff;

/** The width and height the header of a PNG or GIF states (read without decoding), else undefined. */
export function headerDimensionsOf(head: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length >= 24 && head[0] === 0x89 && ascii(head, 1, 4) === 'PNG' && ascii(head, 12, 16) === 'IHDR') {
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (head.length >= 10 && ascii(head, 0, 4) === 'GIF8') {
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  return undefined;
}

/** An image of more than {@link MAX_IMAGE_PIXELS} pixels: `too large (W×H, limit N pixels)`, not "corrupt". */
export function tooLargeError(op: string, path: string, width: number, height: number): ImageReadError {
  return new ImageReadError(
    op,
    path,
    `too large (${width}×${height}, limit ${MAX_IMAGE_PIXELS.toLocaleString('en')} pixels)`,
  );
}

/** sharp could not even read the header: decide between corrupt, unsupported and not an image. */
export function headerError(op: string, path: string, error: unknown, head: Uint8Array): ImageReadError {
  const match = SIGNATURES.find(([, , test]) => test(head));
  if (match === undefined) {
    return new ImageReadError(
      op,
      path,
      `not an image: the content is not ${SUPPORTED_NAMES.replace(/, (\w+)$/, ' or $1')}`,
      error,
    );
  }
  const [name, supported] = match;
  return supported
    ? new ImageReadError(op, path, `corrupt or truncated image data: ${name} header${detail(error)}`, error)
    : unsupportedFormat(op, path, name);
}

/** A real image format selfsup does not read. */
export function unsupportedFormat(op: string, path: string, name: string, supported = SUPPORTED_NAMES): ImageReadError {
  return new ImageReadError(op, path, `unsupported image format ${name} (supported: ${supported})`);
}

/** The header was fine but the pixel data could not be decoded. */
export function dataError(op: string, path: string, error: unknown): ImageReadError {
  return new ImageReadError(op, path, `corrupt or truncated image data${detail(error)}`, error);
}
