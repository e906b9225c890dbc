import type { Tensor5D } from '@selfsup/backend';
import { type Dataset, type PixelStatistics, pixelStatistics, TooFewExamplesError } from '@selfsup/data';
import { videoSourceName } from '#frame-decoder';
import { listVideoFiles, VIDEO_EXTENSIONS } from '#video-files';
import { sequenceBatches } from './sequence-batches.js';
import {
  decodeVideos,
  type FrameSequences,
  type LoadVideosOptions,
  packDecoded,
  type SkippedVideo,
} from './video-folder.js';

/** Options of {@link videoFolderDataset}: how to decode (as {@link loadVideos}) and how to batch. */
export interface VideoFolderDatasetOptions extends LoadVideosOptions {
  /** Sequences per batch; the last incomplete batch of an epoch is dropped. */
  batchSize: number;
  /** Seeds the per-epoch shuffle: the order is a function of (seed, epoch). */
  seed: number | string;
  /** Look in sub-folders too (default true). */
  recursive?: boolean;
  /** File endings taken as videos (default {@link VIDEO_EXTENSIONS}). */
  extensions?: readonly string[];
  /** Decode only the first `limit` video files (sorted). */
  limit?: number;
}

/** A folder of videos decoded into frame sequences, batched for training. */
export interface VideoFolderDataset extends Dataset<Tensor5D> {
  /** Every decoded sequence, [count, frames, H, W, C] bytes 0–255, and where each came from. */
  sequences: FrameSequences;
  /** Files that gave sequences, in order. */
  files: string[];
  /** Files left out with `onError: 'skip'`, and why. */
  skipped: SkippedVideo[];
  /** Per-channel mean and standard deviation of the frames' pixels in [0, 1]. */
  statistics: PixelStatistics;
}

/**
 * The video files under a folder decoded into frame sequences — one ffmpeg process per file,
 * `concurrency` at a time, by {@link loadVideos} (`frames`, `clips` or `sequences`) — and batched
 * as [batchSize, frames, H, W, C] float32 in [0, 1], shuffled per epoch by `seed` (the input of
 * `pretrain` with a video task). The sequences stay in memory as bytes; tensors are made per
 * batch and the consumer disposes them.
 *
 * @example
 * const data = await videoFolderDataset('videos/', {
 *   sequences: { frames: 8, fps: 4, clipsPerVideo: 2 },
 *   size: { width: 64, height: 64 },
 *   batchSize: 16,
 *   seed: 0,
 * });
 * for (const { file, reason } of data.skipped) console.warn(`skipped ${file}: ${reason}`);
 * @throws if the folder is missing or holds no video files; with `onError: 'throw'`, the first bad
 *   file's {@link VideoError}; `TooFewExamplesError` (with the skipped files) if the readable videos
 *   give fewer sequences than one batch.
 */
export async function videoFolderDataset(dir: string, options: VideoFolderDatasetOptions): Promise<VideoFolderDataset> {
  let files = await listVideoFiles(dir, options);
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  if (files.length === 0) {
    throw new Error(`${videoSourceName(dir)}: no video files (${(options.extensions ?? VIDEO_EXTENSIONS).join(' ')})`);
  }
  const { kept, skipped } = await decodeVideos(files, options);
  const packed = kept.length === 0 ? undefined : packDecoded(kept);
  const count = packed?.sequences.count ?? 0;
  if (packed === undefined || count < options.batchSize) {
    const perVideo =
      (options.sequences?.clipsPerVideo ?? 1) === 1 ? '' : ` (${options.sequences?.clipsPerVideo} per video)`;
    throw new TooFewExamplesError(
      `${dir} holds ${kept.length} readable video${kept.length === 1 ? '' : 's'}${skipped.length > 0 ? ` (${skipped.length} skipped)` : ''} giving ${count} sequence${count === 1 ? '' : 's'}${perVideo}, fewer than one batch of ${options.batchSize}`,
      count,
      options.batchSize,
      skipped.map((video) => ({ path: video.file, reason: `${video.reason}: ${video.message}` })),
    );
  }
  const { sequences } = packed;
  const batches = sequenceBatches(sequences, { batchSize: options.batchSize, seed: options.seed });
  return {
    size: batches.size,
    iterate: (epoch) => batches.iterate(epoch),
    sequences,
    files: packed.files,
    skipped,
    statistics: pixelStatistics(sequences.data, sequences.channels),
  };
}
