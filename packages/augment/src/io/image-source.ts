import { expectSize } from '../validation.js';

/**
 * What an image can be read from. In Node: a file path, a `file:` or `http(s):` URL, or the bytes
 * (`Blob`/`File`, `ArrayBuffer`, `Uint8Array`). In a browser: everything but a path — a `File`
 * (from `<input type="file">` or a `FileSystemDirectoryHandle`), a `Blob`, bytes, or a URL to fetch.
 */
export type ImageSource = string | URL | Blob | ArrayBuffer | Uint8Array;

/** Options of {@link readImage}, {@link readImages} and the folder loaders. */
export interface ReadImageOptions {
  /** Output `[height, width]`; default: the image's own size (required to stack a batch). */
  size?: [number, number];
  /** 1 (grayscale, luminance) or 3 (sRGB). Default 3. */
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
  /** The image's own [height, width] before it was resized (orientation applied in a browser). */
  sourceSize?: [number, number];
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

/** Paths of the files a directory walk found, relative to the folder walked (`cats/a.jpg`). */
const relativePaths = new WeakMap<Blob, string>();

/** Remembers where under the walked folder a `File` was found (see {@link sourceName}). */
export function setRelativePath(file: Blob, path: string): void {
  relativePaths.set(file, path);
}

/**
 * How errors and batches name a source: the path, the URL, a file's path relative to the folder it
 * was listed from (or its `webkitRelativePath`, or its name), else `<blob>` / `<bytes>`. Public as
 * `imageSourceName` (also from `@selfsup/augment/image-files`).
 *
 * @example imageSourceName(new URL('https://x.org/a.png')); // 'https://x.org/a.png'
 */
export function sourceName(source: ImageSource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const relative = relativePaths.get(source);
    if (relative !== undefined) return relative;
    const file = source as Partial<File>;
    if (typeof file.webkitRelativePath === 'string' && file.webkitRelativePath !== '') return file.webkitRelativePath;
    if (typeof file.name === 'string' && file.name !== '') return file.name;
    return '<blob>';
  }
  return '<bytes>';
}

/** The bytes of a source that needs no file system (a `Blob`, bytes, or a URL fetched). */
export async function bytesWithoutFileSystem(
  source: Exclude<ImageSource, string>,
  op: string,
  onError: (reason: string, cause: unknown) => Error,
): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (source instanceof URL) {
    let response: Response;
    try {
      response = await fetch(source);
    } catch (error) {
      throw onError(`fetch failed: ${(error as Error).message}`, error);
    }
    if (!response.ok) throw onError(response.status === 404 ? 'file not found' : `HTTP ${response.status}`, undefined);
    return new Uint8Array(await response.arrayBuffer());
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  throw new Error(`${op}: expected a path, URL, Blob, File, ArrayBuffer or Uint8Array; got ${String(source)}`);
}
