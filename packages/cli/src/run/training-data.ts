import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { ImageReadError, readImages, type SmallImage } from '@selfsup/augment';
import { createRng, type Tensor4D, tf } from '@selfsup/backend';
import {
  type Dataset,
  embeddedFashionMnistDir,
  type ImageFolderDataset,
  imageBatch,
  imageFolderDataset,
  type LabeledImages,
  labeledImageBatches,
  loadIdxImages,
  type PixelStatistics,
  pixelStatistics,
  type SkippedFile,
  selectImages,
  TooFewExamplesError,
} from '@selfsup/data';
import type { ImageObjectiveData } from '@selfsup/trainer';
import { CliError } from '../cli-error.js';
import type { RunConfig } from '../config/config-schema.js';
import { reportIgnoredFiles } from '../data/data-files.js';
import { loadTextCorpusData, type TextCorpusRequest, type TextTrainingData } from './text-corpus-data.js';
import { loadVideoFolderData, type VideoTrainingData } from './video-folder-data.js';

/** A file left out of the data, and why. */
export type { SkippedFile };

/** What a run's data says besides its batches: for the resume check, the report and the summary. */
export interface RunDataFacts {
  /** Examples per epoch. */
  count: number;
  /** A hash of the data's identity (files, pixels or text), to notice changed data on resume. */
  fingerprint: string;
  /** Files of the folder its reader leaves out by their ending (a `notes.txt` among images), never read. */
  ignored: string[];
  /** Describes the data in one line. */
  description: string;
  /** Each data file's content digest (path → digest), so a resume names a file edited in place. */
  dataFiles?: Record<string, string>;
}

/** The training data of an image run, ready for `pretrain`. */
export interface TrainingData extends ImageObjectiveData, RunDataFacts {
  /** Raw batches [batchSize, H, W, C] in [0, 1], a deterministic order per (seed, epoch). */
  dataset: Dataset<Tensor4D>;
  /** Unreadable files left out (image folders with `onError: skip`). */
  skipped: SkippedFile[];
  /** Readable images under 8 px a side before resizing (image folders), for a warning. */
  small?: SmallImage[];
  /** Labeled train/test splits when the data has labels (IDX), for the evaluation. */
  labeled?: { train: LabeledImages; test: LabeledImages | undefined };
  /** The first `count` images (for the augmentation preview). */
  sample(count: number): Promise<Tensor4D>;
}

/**
 * Each file's SHA-256 (hex), 8 files read at a time. The whole content, not size and time: a
 * copied folder keeps its digests, and a file edited in place changes its own. Cheap beside the
 * scan that has just decoded every file (the bytes come from the OS cache; SHA-256 runs at
 * ≈ 1 GB/s, where decoding and resizing take far longer).
 */
async function contentDigests(files: readonly string[]): Promise<Record<string, string>> {
  const digests = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++] as string;
      digests.set(
        file,
        createHash('sha256')
          .update(await readFile(file))
          .digest('hex'),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, files.length) }, worker));
  return Object.fromEntries(files.map((file) => [file, digests.get(file) as string]));
}

async function imageFolderData(
  data: Extract<RunConfig['data'], { kind: 'image-folder' }>,
  seed: number,
  log: (line: string) => void,
): Promise<TrainingData> {
  const { path, size, channels, batchSize } = data;
  try {
    const info = await stat(path);
    if (!info.isDirectory()) throw new CliError('data', `data.path: ${path} is not a folder`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      'data',
      `data.path: ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`,
    );
  }
  const reportSkipped = async (skipped: readonly SkippedFile[]) => {
    for (const file of skipped) log(`skipped ${file.path}: ${file.reason}`);
    return reportIgnoredFiles(path, 'image', { recursive: data.recursive, log });
  };
  let dataset: ImageFolderDataset;
  try {
    // Every file is decoded once first: unreadable ones are reported before training, the epoch length is exact.
    dataset = await imageFolderDataset(path, {
      batchSize,
      size,
      channels,
      fit: data.fit,
      recursive: data.recursive,
      onError: data.onError,
      limit: data.limit,
      scan: true,
      shuffleSeed: createRng(seed).fork('data-order').state(),
    });
  } catch (error) {
    if (error instanceof TooFewExamplesError) {
      await reportSkipped(error.skipped);
      throw new CliError('data', `data.path: ${error.message} (data.batchSize)`);
    }
    if (error instanceof ImageReadError) {
      throw new CliError('data', `data.path: ${error.message} (set data.onError: skip to leave unreadable files out)`);
    }
    throw new CliError('data', `data.path: ${(error as Error).message}`);
  }
  const skipped = [...dataset.report.skipped];
  const ignored = await reportSkipped(skipped);
  const files = dataset.paths;
  return {
    modality: 'image',
    dataset,
    size,
    channels,
    count: files.length,
    skipped,
    small: [...dataset.report.small],
    ignored,
    dataFiles: await contentDigests(files),
    fingerprint: createHash('sha256').update(files.join('\n')).digest('hex'),
    statistics: dataset.statistics as PixelStatistics,
    description: `${path}: ${files.length} images at ${size[0]}×${size[1]}×${channels}${skipped.length > 0 ? `, ${skipped.length} unreadable skipped` : ''}`,
    sample: (count) => readImages(files.slice(0, count), { size, channels, fit: data.fit }),
  };
}

async function idxData(data: Extract<RunConfig['data'], { kind: 'idx' }>, seed: number): Promise<TrainingData> {
  const dir = data.path ?? embeddedFashionMnistDir();
  let train: LabeledImages;
  try {
    train = await loadIdxImages({ split: 'train', dir });
  } catch (error) {
    throw new CliError('data', `data.path: ${(error as Error).message}`);
  }
  let test: LabeledImages | undefined;
  try {
    test = await loadIdxImages({ split: 'test', dir });
  } catch {
    test = undefined; // no t10k files: no held-out split
  }
  if (data.limit !== undefined && data.limit < train.count) {
    train = selectImages(
      train,
      Array.from({ length: data.limit }, (_, i) => i),
    );
  }
  if (train.count < data.batchSize) {
    throw new CliError(
      'data',
      `data.path: ${dir} holds ${train.count} training images, fewer than one batch of ${data.batchSize} (data.batchSize)`,
    );
  }
  const source = data.path ?? 'the embedded Fashion-MNIST subset';
  return {
    modality: 'image',
    dataset: labeledImageBatches(train, { batchSize: data.batchSize, seed }),
    size: [train.height, train.width],
    channels: 1,
    count: train.count,
    skipped: [],
    ignored: [],
    fingerprint: createHash('sha256').update(train.images).update(train.labels).digest('hex'),
    statistics: pixelStatistics(train.images, 1),
    labeled: { train, test },
    description: `${source}: ${train.count} training${test === undefined ? '' : ` and ${test.count} test`} images of ${train.height}×${train.width}`,
    sample: async (count) =>
      tf.tidy(() => {
        const { images, labels } = imageBatch(
          train,
          Array.from({ length: Math.min(count, train.count) }, (_, i) => i),
        );
        labels.dispose();
        return images;
      }),
  };
}

/** What a run trains on: images or token sequences. */
export type RunData = TrainingData | TextTrainingData | VideoTrainingData;

/**
 * Loads a run's training data: an image folder is scanned once (every file decoded at the run's
 * size), so unreadable files are reported and left out before training and the epoch length is
 * exact; IDX data is read whole. Both give per-channel statistics for `normalization: auto`. A
 * text corpus is read, tokenized (with the run's saved tokenizer when it exists: a resumed run
 * keeps its vocabulary) and made into the samples `text` asks for; a video folder is decoded by
 * ffmpeg into frame sequences.
 *
 * @throws CliError('data') naming `data.path` and what is wrong with it.
 */
export async function loadTrainingData(
  data: RunConfig['data'],
  seed: number,
  log: (line: string) => void,
  text?: TextCorpusRequest,
): Promise<RunData> {
  if (data.kind === 'text-corpus') {
    if (text === undefined) throw new Error('loadTrainingData: a text corpus needs the task’s request');
    return loadTextCorpusData(data, seed, log, text);
  }
  if (data.kind === 'video-folder') return loadVideoFolderData(data, seed, log);
  return data.kind === 'idx' ? idxData(data, seed) : imageFolderData(data, seed, log);
}
