import type { ImageFolderOptions, ImageFolderReport } from '@selfsup/augment';
import { type ImageSource, imageSourceName, listImageFiles } from '@selfsup/augment/image-files';
import { createRng, type RngState, type Tensor4D, tf } from '@selfsup/backend';
import type { Dataset } from './dataset.js';
import { type PixelStatistics, statisticsFromSums } from './pixel-statistics.js';
import { TooFewExamplesError } from './too-few-examples-error.js';

export interface ImageFolderDatasetOptions extends Omit<ImageFolderOptions, 'batchSize' | 'files'> {
  batchSize: number;
  /**
   * Seed of the per-epoch shuffle of the file order (default: no shuffle, sorted order): epoch e
   * reads the files in `createRng(shuffleSeed).fork('epoch-e')`'s order.
   */
  shuffleSeed?: number | string | RngState;
  /** Drop the last incomplete batch of an epoch (default true, as pretraining wants). */
  dropRemainder?: boolean;
  /**
   * Decode every file once when the dataset is made (default false): unreadable files are left
   * out (or, with `onError: 'throw'`, stop it) before the first epoch, the epoch length counts
   * readable images exactly, and `statistics` gives the pixels' per-channel mean and standard
   * deviation. Epochs then read only the readable files.
   */
  scan?: boolean;
  /** Use only the first `limit` files (sorted; readable ones with `scan`). */
  limit?: number;
}

/** Unlabeled images of a folder as batches, and what was found there. */
export interface ImageFolderDataset extends Dataset<Tensor4D> {
  /** How many files an epoch reads. */
  files: number;
  /** The files an epoch reads, sorted (the readable ones, after a scan): paths, or a folder handle's relative paths. */
  paths: string[];
  /** What the last epoch (or the scan) read and skipped. */
  report: ImageFolderReport;
  /** Per-channel mean and standard deviation of the pixels in [0, 1], from the scan (undefined without). */
  statistics: PixelStatistics | undefined;
}

/**
 * Unlabeled images from a folder as a dataset of batches [batchSize, H, W, C] in [0, 1] — the
 * input of `pretrain` for users' own images: a path (Node) or a `FileSystemDirectoryHandle` (both
 * platforms). Each epoch optionally shuffles the file order with a
 * per-epoch seeded stream, and decodes batches (sharp in Node, the browser's decoders in a page) as they are consumed (wrap it in
 * `prefetched` to overlap decoding with training). Without `scan` the folder is only listed when
 * the dataset is made (the epoch length counts files, unreadable ones are skipped as met); with
 * `scan` every file is decoded once first (see {@link ImageFolderDatasetOptions.scan}).
 *
 * @example
 * const data = await imageFolderDataset('photos', { batchSize: 64, size: [96, 96], shuffleSeed: 0, scan: true, onError: 'skip' });
 * for (const file of data.report.skipped) console.warn(`skipped ${file.path}: ${file.reason}`);
 * @returns the dataset, the files it reads, the last epoch's (or the scan's) report, the statistics of a scan.
 * @throws `TooFewExamplesError` (with the skipped files) if the folder holds fewer images than one
 *   batch; with `scan` and `onError: 'throw'`, the first unreadable file's `ImageReadError`.
 */
export async function imageFolderDataset(
  dir: string | FileSystemDirectoryHandle,
  options: ImageFolderDatasetOptions,
): Promise<ImageFolderDataset> {
  let files: ImageSource[] = [];
  for await (const file of listImageFiles(dir, options)) files.push(file);
  if (!options.scan && options.limit !== undefined) files = files.slice(0, options.limit);
  const folderName = typeof dir === 'string' ? dir : dir.name;
  // sharp loads with the reader, not with this package: importing @selfsup/data (as the video
  // package does) stays free of it until a folder is read.
  const { imageFolderBatches } = await import('@selfsup/augment');
  const report: ImageFolderReport = { read: 0, skipped: [], small: [] };
  let statistics: PixelStatistics | undefined;
  if (options.scan) {
    const byName = new Map(files.map((file) => [imageSourceName(file), file]));
    const scanned = await scanImages(imageFolderBatches, dir, { ...options, files }, options.limit);
    files = scanned.files.map((name) => byName.get(name) as ImageSource);
    statistics = scanned.statistics;
    report.read = files.length;
    report.skipped = scanned.skipped;
    report.small = scanned.small;
  }
  if (files.length < options.batchSize) {
    const skipped = report.skipped.length;
    throw new TooFewExamplesError(
      options.scan
        ? `${folderName} holds ${files.length} readable image${files.length === 1 ? '' : 's'}${skipped === 0 ? '' : ` (${skipped} unreadable file${skipped === 1 ? '' : 's'} skipped)`}, fewer than one batch of ${options.batchSize}`
        : `imageFolderDataset: ${folderName} holds ${files.length} image file(s), fewer than one batch of ${options.batchSize}`,
      files.length,
      options.batchSize,
      report.skipped,
    );
  }
  const dropRemainder = options.dropRemainder ?? true;
  // Scanned files are known to be readable: one failing later is an error, not a skip.
  const onError = options.scan ? 'throw' : options.onError;
  const shuffle = options.shuffleSeed === undefined ? undefined : createRng(options.shuffleSeed);
  return {
    files: files.length,
    paths: files.map(imageSourceName),
    report,
    statistics,
    size: dropRemainder ? Math.floor(files.length / options.batchSize) : Math.ceil(files.length / options.batchSize),
    async *iterate(epoch) {
      const order = shuffle === undefined ? files : shuffle.fork(`epoch-${epoch}`).shuffle([...files]);
      const batches = imageFolderBatches(dir, { ...options, onError, files: order });
      for await (const { images } of batches) {
        if (dropRemainder && images.shape[0] < options.batchSize) {
          images.dispose();
          break;
        }
        yield images;
      }
      report.read = batches.report.read;
      report.skipped = batches.report.skipped;
      report.small = batches.report.small;
    },
  };
}

/**
 * Decodes `files` in batches of 64, keeping the readable ones (up to `limit`, by name) and summing
 * their pixels per channel.
 */
async function scanImages(
  imageFolderBatches: typeof import('@selfsup/augment').imageFolderBatches,
  dir: string | FileSystemDirectoryHandle,
  options: Omit<ImageFolderOptions, 'batchSize'> & { files: ImageSource[] },
  limit: number | undefined,
): Promise<{
  files: string[];
  skipped: ImageFolderReport['skipped'];
  small: ImageFolderReport['small'];
  statistics: PixelStatistics;
}> {
  const files: string[] = [];
  let sum: number[] = [];
  let squares: number[] = [];
  let pixels = 0;
  const folder = imageFolderBatches(dir, { ...options, batchSize: 64 });
  for await (const batch of folder) {
    const [, height, width, channels] = batch.images.shape;
    const take = limit === undefined ? batch.paths.length : Math.min(batch.paths.length, limit - files.length);
    const images = take < batch.paths.length ? tf.slice(batch.images, 0, take) : batch.images;
    const [sums, sumSquares] = tf.tidy(() => [
      tf.sum(images, [0, 1, 2]).arraySync() as number[],
      tf.sum(tf.square(images), [0, 1, 2]).arraySync() as number[],
    ]);
    if (images !== batch.images) images.dispose();
    batch.images.dispose();
    if (sum.length === 0) {
      sum = new Array<number>(channels).fill(0);
      squares = new Array<number>(channels).fill(0);
    }
    for (let c = 0; c < channels; c++) {
      sum[c] = (sum[c] as number) + (sums[c] as number);
      squares[c] = (squares[c] as number) + (sumSquares[c] as number);
    }
    pixels += take * height * width;
    files.push(...batch.paths.slice(0, take));
    if (limit !== undefined && files.length >= limit) break;
  }
  const kept = new Set(files);
  const small = folder.report.small.filter((image) => kept.has(image.path));
  return { files, skipped: folder.report.skipped, small, statistics: statisticsFromSums(sum, squares, pixels) };
}
