import type { Tensor4D } from '@selfsup/backend';
import type { ListImageFilesOptions } from './directory-listing.js';
import { ImageReadError } from './image-read-error.js';
import { type ImageSource, sourceName } from './image-source.js';
import { listImageFiles } from './list-image-files.js';
import {
  checkReadImageOptions,
  type DecodedImage,
  decodeImage,
  type ReadImageOptions,
  stackDecoded,
} from './read-image.js';
import { MIN_IMAGE_SIDE, type SmallImage } from './small-images.js';

/** Options of {@link imageFolderBatches}. */
export interface ImageFolderOptions extends ReadImageOptions, ListImageFilesOptions {
  /** Images per batch (the last batch may be smaller). */
  batchSize: number;
  /** Output `[height, width]` of every image (resize + center-crop, or pad with `fit: 'contain'`). */
  size: [number, number];
  /** `'throw'` (default): stop at the first unreadable file; `'skip'`: leave it out and report it. */
  onError?: 'throw' | 'skip';
  /** Files decoded ahead, concurrently (default 8). */
  concurrency?: number;
  /**
   * Read exactly these files, in this order, instead of listing the folder (e.g. a shuffled list):
   * paths (Node), or `File`s, `Blob`s, bytes or URLs (both platforms).
   */
  files?: readonly ImageSource[];
}

/** What a folder read did, filled in as batches are consumed. */
export interface ImageFolderReport {
  /** Images read into batches so far. */
  read: number;
  /** Files left out with `onError: 'skip'`, in the order met, with the reason (e.g. `zero-byte file`). */
  skipped: Array<{ path: string; reason: string }>;
  /** Images read whose own size is under {@link MIN_IMAGE_SIDE} a side (before resizing), in the order met. */
  small: SmallImage[];
}

/** One batch of a folder: images `[n, height, width, channels]` in [0, 1] and the files they came from. */
export interface ImageBatch {
  images: Tensor4D;
  /** Each image's path (a `File`: its path under the folder handle, or its name; a URL: its address). */
  paths: string[];
}

/**
 * Streams a folder of images (recursively by default) as batches, reading lazily: the folder is
 * walked as the batches are consumed ({@link listImageFiles}), `concurrency` files are decoded
 * ahead (sharp in Node, the browser's decoders in a page), and only the batch being filled is held — a folder of 100 000 images never
 * sits in memory. Deterministic order (sorted names). Each yielded tensor belongs to the caller.
 * With `onError: 'skip'`, unreadable files are left out and listed in `report.skipped`;
 * `report.read` counts the images read.
 *
 * Shapes: batches `[batchSize, size[0], size[1], channels]`, the last one possibly smaller.
 *
 * @example
 * const folder = imageFolderBatches('photos/', { batchSize: 64, size: [96, 96], onError: 'skip' });
 * for await (const { images, paths } of folder) { train(images); images.dispose(); }
 * console.log(`skipped ${folder.report.skipped.length}:`, folder.report.skipped);
 * // in a browser: a folder the user picked
 * const picked = imageFolderBatches(await showDirectoryPicker(), { batchSize: 64, size: [96, 96] });
 * @throws (while iterating) {@link ImageReadError} for the first bad file with `onError: 'throw'`,
 * or an error naming a folder that cannot be read; at once for bad options.
 */
export function imageFolderBatches(
  dir: string | FileSystemDirectoryHandle,
  options: ImageFolderOptions,
): AsyncIterable<ImageBatch> & { report: ImageFolderReport } {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
    throw new Error(`imageFolderBatches: batchSize must be a positive integer; got ${options.batchSize}`);
  }
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`imageFolderBatches: concurrency must be a positive integer; got ${concurrency}`);
  }
  const onError = options.onError ?? 'throw';
  if (onError !== 'throw' && onError !== 'skip') {
    throw new Error(`imageFolderBatches: onError must be 'throw' or 'skip'; got ${onError}`);
  }
  checkReadImageOptions('imageFolderBatches', options);
  const report: ImageFolderReport = { read: 0, skipped: [], small: [] };
  const channels = options.channels ?? 3;
  const decodeOptions: ReadImageOptions = { size: options.size, channels };
  if (options.fit !== undefined) decodeOptions.fit = options.fit;
  if (options.background !== undefined) decodeOptions.background = options.background;
  return {
    report,
    async *[Symbol.asyncIterator]() {
      const files: AsyncIterable<ImageSource> | Iterable<ImageSource> = options.files ?? listImageFiles(dir, options);
      const pending: Array<{ path: string; result: Promise<DecodedImage | Error> }> = [];
      let batch: Array<{ path: string; image: DecodedImage }> = [];
      const settle = async () => {
        const next = pending.shift() as (typeof pending)[number];
        const image = await next.result;
        if (!(image instanceof Error)) {
          batch.push({ path: next.path, image });
          const [height, width] = image.sourceSize ?? [image.height, image.width];
          if (Math.min(height, width) < MIN_IMAGE_SIDE) report.small.push({ path: next.path, height, width });
        } else if (onError === 'skip') {
          report.skipped.push({
            path: next.path,
            reason: image instanceof ImageReadError ? image.reason : image.message,
          });
        } else throw image;
      };
      const flush = (): ImageBatch => {
        const images = stackDecoded(
          batch.map((b) => b.image),
          options.size,
          channels,
        );
        const paths = batch.map((b) => b.path);
        report.read += batch.length;
        batch = [];
        return { images, paths };
      };
      for await (const file of files) {
        pending.push({
          path: sourceName(file),
          result: decodeImage(file, decodeOptions, 'imageFolderBatches').catch((error: Error) => error),
        });
        if (pending.length >= concurrency) await settle();
        if (batch.length === options.batchSize) yield flush();
      }
      while (pending.length > 0) {
        await settle();
        if (batch.length === options.batchSize) yield flush();
      }
      if (batch.length > 0) yield flush();
    },
  };
}
