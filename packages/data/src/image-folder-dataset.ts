import type { ImageFolderOptions, ImageFolderReport } from '@selfsup/augment';
import { listImageFiles } from '@selfsup/augment/image-files';
import { createRng, type Tensor4D } from '@selfsup/backend';
import type { Dataset } from './dataset.js';

export interface ImageFolderDatasetOptions extends Omit<ImageFolderOptions, 'batchSize'> {
  batchSize: number;
  /** Seed of the per-epoch shuffle of the file order (default: no shuffle, sorted order). */
  shuffleSeed?: number | string;
  /** Drop the last incomplete batch of an epoch (default true, as pretraining wants). */
  dropRemainder?: boolean;
}

/**
 * Unlabeled images from a folder as a dataset of batches [batchSize, H, W, C] in [0, 1] — the
 * input of `pretrain` for users' own images. Each epoch lists the folder (lazily), optionally
 * shuffles the file order with a per-epoch seeded stream, and decodes batches with sharp as they
 * are consumed (wrap it in `prefetched` to overlap decoding with training). The file count is
 * found once, at creation, so the trainer knows the epoch length.
 *
 * @returns the dataset and the last epoch's report (files read, files skipped with `onError: 'skip'`).
 * @throws if the folder holds fewer images than one batch.
 */
export async function imageFolderDataset(
  dir: string,
  options: ImageFolderDatasetOptions,
): Promise<Dataset<Tensor4D> & { report: ImageFolderReport; files: number }> {
  const files: string[] = [];
  for await (const file of listImageFiles(dir, options)) files.push(file);
  if (files.length < options.batchSize) {
    throw new Error(
      `imageFolderDataset: ${dir} holds ${files.length} image file(s), fewer than one batch of ${options.batchSize}`,
    );
  }
  // sharp loads with the reader, not with this package: importing @selfsup/data (as the video
  // package does) stays free of it until a folder is read.
  const { imageFolderBatches } = await import('@selfsup/augment');
  const dropRemainder = options.dropRemainder ?? true;
  const report: ImageFolderReport = { read: 0, skipped: [] };
  return {
    files: files.length,
    report,
    size: dropRemainder ? Math.floor(files.length / options.batchSize) : Math.ceil(files.length / options.batchSize),
    async *iterate(epoch) {
      const order =
        options.shuffleSeed === undefined
          ? files
          : createRng(options.shuffleSeed)
              .fork(`epoch-${epoch}`)
              .shuffle([...files]);
      const batches = imageFolderBatches(dir, { ...options, files: order });
      for await (const { images } of batches) {
        if (dropRemainder && images.shape[0] < options.batchSize) {
          images.dispose();
          break;
        }
        yield images;
      }
      report.read = batches.report.read;
      report.skipped = batches.report.skipped;
    },
  };
}
