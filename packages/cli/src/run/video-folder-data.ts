import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { Tensor } from '@selfsup/backend';
import { type Dataset, TooFewExamplesError } from '@selfsup/data';
import type { VideoObjectiveData } from '@selfsup/trainer';
import {
  type FfmpegTools,
  resolveFfmpeg,
  VideoError,
  type VideoFolderDataset,
  videoFolderDataset,
} from '@selfsup/video';
import { CliError } from '../cli-error.js';
import type { RunConfig } from '../config/config-schema.js';
import { reportIgnoredFiles } from '../data/data-files.js';
import type { RunDataFacts, SkippedFile } from './training-data.js';

/** The training data of a video run: frame sequences decoded by ffmpeg, for a per-frame image encoder. */
export interface VideoTrainingData extends VideoObjectiveData, RunDataFacts {
  /** Batches of frame sequences [batchSize, frames, H, W, C] in [0, 1], a deterministic order per (seed, epoch). */
  dataset: Dataset<Tensor>;
  /** Videos that gave sequences (each gives `data.clipsPerVideo`). */
  videos: number;
  skipped: SkippedFile[];
}

type VideoFolderConfig = Extract<RunConfig['data'], { kind: 'video-folder' }>;

/**
 * A run's video folder through `@selfsup/video`'s {@link videoFolderDataset}: `data.clipsPerVideo`
 * sequences of `data.frames` frames per video at `data.size`, taken `data.fps` apart or spread
 * evenly; unreadable, empty, corrupt or too short videos are skipped and reported (or stop the
 * run with `onError: throw`).
 *
 * @throws CliError('data') naming `data.path`: a missing folder, no videos, no ffmpeg, fewer
 *   sequences than one batch, or (with `onError: throw`) the first bad file and why.
 */
export async function loadVideoFolderData(
  data: VideoFolderConfig,
  seed: number,
  log: (line: string) => void,
): Promise<VideoTrainingData> {
  let tools: FfmpegTools;
  try {
    tools = await resolveFfmpeg();
  } catch (error) {
    throw new CliError('data', `data.path: decoding videos needs ffmpeg and ffprobe: ${(error as Error).message}`);
  }
  const started = performance.now();
  let dataset: VideoFolderDataset;
  try {
    dataset = await videoFolderDataset(data.path, {
      sequences: { frames: data.frames, fps: data.fps, clipsPerVideo: data.clipsPerVideo },
      size: { width: data.size[1], height: data.size[0] },
      channels: data.channels,
      recursive: data.recursive,
      limit: data.limit,
      tools,
      concurrency: data.concurrency,
      onError: data.onError,
      batchSize: data.batchSize,
      seed,
    });
  } catch (error) {
    if (error instanceof TooFewExamplesError) {
      for (const file of error.skipped) log(`skipped ${file.path}: ${file.reason}`);
      throw new CliError('data', `data.path: ${error.message} (data.batchSize)`);
    }
    const hint =
      data.onError === 'throw' && error instanceof VideoError
        ? ' (set data.onError: skip to leave unreadable videos out)'
        : '';
    throw new CliError('data', `data.path: ${(error as Error).message}${hint}`);
  }
  const ignored = await reportIgnoredFiles(data.path, 'video', { recursive: data.recursive, log });
  const skipped = dataset.skipped.map((s) => ({ path: s.file, reason: `${s.reason}: ${s.message}` }));
  for (const file of skipped) log(`skipped ${file.path}: ${file.reason}`);
  const { sequences, files } = dataset;
  const fingerprint = createHash('sha256');
  for (const file of files) fingerprint.update(`${file}\u0000${(await stat(file)).size}\n`);
  const dataFiles: Record<string, string> = {};
  for (const file of files) dataFiles[file] = await sampledDigest(file);
  const seconds = (performance.now() - started) / 1000;
  const perVideo = data.clipsPerVideo === 1 ? '' : ` (${data.clipsPerVideo} per video)`;
  return {
    modality: 'video',
    dataset,
    size: data.size,
    channels: data.channels,
    frames: data.frames,
    count: sequences.count,
    videos: files.length,
    skipped,
    ignored,
    fingerprint: fingerprint.digest('hex'),
    dataFiles,
    statistics: dataset.statistics,
    description: `${data.path}: ${files.length} videos → ${sequences.count} sequences${perVideo} × ${data.frames} frames${data.fps === undefined ? '' : ` at ${data.fps} fps`} of ${data.size[0]}×${data.size[1]}×${data.channels}, decoded in ${seconds.toFixed(1)} s${skipped.length > 0 ? `, ${skipped.length} unreadable skipped` : ''}`,
  };
}

/** Bytes read from each end of a video for {@link sampledDigest}. */
const SAMPLE_BYTES = 1 << 16;

/**
 * A video's size and the SHA-256 of its first and last 64 KiB: videos run to gigabytes, so not
 * the whole content — a re-encoded or trimmed video changes its size or its container's ends
 * (header, index), which is what a resume has to notice.
 */
export async function sampledDigest(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256').update(`${size}\u0000`);
    const head = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > SAMPLE_BYTES) {
      const tail = Buffer.alloc(Math.min(SAMPLE_BYTES, size - SAMPLE_BYTES));
      await handle.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
    return `${size}:${hash.digest('hex')}`;
  } finally {
    await handle.close();
  }
}
