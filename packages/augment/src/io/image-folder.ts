import { opendir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Tensor4D } from '@selfsup/backend';
import { type DecodedImage, decodeImage, stackDecoded } from './read-image.js';

/** File extensions read by default (case-insensitive). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'] as const;

export interface ImageFolderOptions {
  /** Images per batch. */
  batchSize: number;
  /** Output [height, width] of every image (resize + center-crop, or pad with fit: 'contain'). */
  size: [number, number];
  channels?: 1 | 3;
  fit?: 'cover' | 'contain';
  /** Walk sub-directories (default true). */
  recursive?: boolean;
  /** Extensions to read (default {@link IMAGE_EXTENSIONS}). */
  extensions?: readonly string[];
  /** `throw` (default): stop at the first unreadable file; `skip`: leave it out and report it. */
  onError?: 'throw' | 'skip';
  /** Files decoded at once (default 8). */
  concurrency?: number;
  /** Read exactly these files in this order instead of listing `dir` (e.g. a shuffled list). */
  files?: readonly string[];
}

/** What a folder read left out. */
export interface ImageFolderReport {
  /** Images read into batches so far. */
  read: number;
  /** Files skipped, with the reason. */
  skipped: Array<{ path: string; reason: string }>;
}

/** A batch of images with the files they came from. */
export interface ImageBatch {
  images: Tensor4D;
  paths: string[];
}

/** Image files under `dir`, in sorted order, found lazily (a huge folder is never listed at once). */
export async function* listImageFiles(
  dir: string,
  options: { recursive?: boolean; extensions?: readonly string[] } = {},
): AsyncGenerator<string> {
  const extensions = new Set((options.extensions ?? IMAGE_EXTENSIONS).map((e) => e.toLowerCase()));
  let handle: Awaited<ReturnType<typeof opendir>>;
  try {
    handle = await opendir(dir);
  } catch (error) {
    throw new Error(
      `imageFolderBatches: cannot read folder ${dir} (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  const files: string[] = [];
  const folders: string[] = [];
  for await (const entry of handle) {
    if (entry.isDirectory()) folders.push(entry.name);
    else if (entry.isFile() && extensions.has(extname(entry.name).toLowerCase())) files.push(entry.name);
  }
  for (const name of files.sort()) yield join(dir, name);
  if (options.recursive ?? true) for (const name of folders.sort()) yield* listImageFiles(join(dir, name), options);
}

/**
 * Streams a folder of images as batches [batchSize, height, width, C] in [0, 1]: files are found
 * lazily and decoded `concurrency` at a time, so a folder of 100 000 images never sits in memory.
 * The last batch may be smaller. With `onError: 'skip'`, unreadable files are left out and listed
 * in `report.skipped`.
 *
 * @example
 * const folder = imageFolderBatches('photos/', { batchSize: 64, size: [96, 96], onError: 'skip' });
 * for await (const { images } of folder) { …; images.dispose(); }
 * console.log(folder.report.skipped);
 */
export function imageFolderBatches(
  dir: string,
  options: ImageFolderOptions,
): AsyncIterable<ImageBatch> & { report: ImageFolderReport } {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
    throw new Error(`imageFolderBatches: batchSize must be a positive integer; got ${options.batchSize}`);
  }
  const report: ImageFolderReport = { read: 0, skipped: [] };
  const channels = options.channels ?? 3;
  const concurrency = options.concurrency ?? 8;
  const decodeOptions = { size: options.size, channels, ...(options.fit === undefined ? {} : { fit: options.fit }) };
  return {
    report,
    async *[Symbol.asyncIterator]() {
      const files = options.files ?? listImageFiles(dir, options);
      let batch: Array<{ path: string; image: DecodedImage }> = [];
      const pending: Array<{ path: string; result: Promise<DecodedImage | Error> }> = [];
      const settle = async () => {
        const next = pending.shift() as { path: string; result: Promise<DecodedImage | Error> };
        const image = await next.result;
        if (image instanceof Error) {
          if ((options.onError ?? 'throw') === 'throw') throw image;
          report.skipped.push({ path: next.path, reason: image.message });
          return;
        }
        batch.push({ path: next.path, image });
      };
      const flush = () => {
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
      for await (const path of files) {
        pending.push({
          path,
          result: decodeImage(path, decodeOptions, 'imageFolderBatches').catch((error: Error) => error),
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
