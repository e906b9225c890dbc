import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Tensor } from '@selfsup/backend';
import type { Dataset } from '@selfsup/data';
import { type FfmpegTools, listVideoFiles, resolveFfmpeg, sequenceBatches } from '@selfsup/video';
import { CliError } from '../cli-error.js';
import type { RunConfig } from '../config/config-schema.js';
import { reportIgnoredFiles } from '../data/data-files.js';
import { decodeVideoSequences } from './decode-video-sequences.js';
import type { SkippedFile } from './training-data.js';

/** The training data of a video run: frame sequences decoded by ffmpeg, for a per-frame image encoder. */
export interface VideoTrainingData {
  modality: 'video';
  /** Batches of frame sequences [batchSize, frames, H, W, C] in [0, 1], a deterministic order per (seed, epoch). */
  dataset: Dataset<Tensor>;
  /** [height, width] of a frame. */
  size: [number, number];
  channels: 1 | 3;
  frames: number;
  /** Frame sequences (videos that gave sequences × `data.clipsPerVideo`). */
  count: number;
  /** Videos that gave sequences. */
  videos: number;
  skipped: SkippedFile[];
  /** Files of the folder that are not videos by their ending (images, text, …), never read. */
  ignored: string[];
  fingerprint: string;
  /** Per-channel mean and standard deviation of the frames' pixels in [0, 1]. */
  statistics: { mean: number[]; std: number[] };
  description: string;
}

type VideoFolderConfig = Extract<RunConfig['data'], { kind: 'video-folder' }>;

/**
 * Decodes a folder of videos into frame sequences at `data.size`, one ffmpeg process per file:
 * `data.clipsPerVideo` sequences of `data.frames` frames each — taken `data.fps` apart, or spread
 * evenly over the video (or each part of it). Unreadable, empty, corrupt or too short videos are
 * skipped and reported (or stop the run with `onError: throw`).
 *
 * @throws CliError('data') naming `data.path`: a missing folder, no videos, no ffmpeg, fewer
 *   sequences than one batch, or (with `onError: throw`) the first bad file and why.
 */
export async function loadVideoFolderData(
  data: VideoFolderConfig,
  seed: number,
  log: (line: string) => void,
): Promise<VideoTrainingData> {
  let files: string[];
  try {
    files = await listVideoFiles(data.path, { recursive: data.recursive });
  } catch (error) {
    throw new CliError('data', `data.path: ${(error as Error).message}`);
  }
  const ignored = await reportIgnoredFiles(data.path, 'video', { recursive: data.recursive, log });
  if (data.limit !== undefined) files = files.slice(0, data.limit);
  if (files.length === 0) {
    throw new CliError('data', `data.path: ${data.path} holds no video files (mp4, webm, mkv, mov, avi, …)`);
  }
  let tools: FfmpegTools;
  try {
    tools = await resolveFfmpeg();
  } catch (error) {
    throw new CliError('data', `data.path: decoding videos needs ffmpeg and ffprobe: ${(error as Error).message}`);
  }
  const started = performance.now();
  let loaded: Awaited<ReturnType<typeof decodeVideoSequences>>;
  try {
    loaded = await decodeVideoSequences(files, {
      frames: data.frames,
      fps: data.fps,
      clipsPerVideo: data.clipsPerVideo,
      size: data.size,
      channels: data.channels,
      tools,
      concurrency: data.concurrency,
      onError: data.onError,
    });
  } catch (error) {
    throw new CliError(
      'data',
      `data.path: ${(error as Error).message}${data.onError === 'throw' ? ' (set data.onError: skip to leave unreadable videos out)' : ''}`,
    );
  }
  const skipped = loaded.skipped.map((s) => ({ path: s.file, reason: `${s.reason}: ${s.message}` }));
  for (const file of skipped) log(`skipped ${file.path}: ${file.reason}`);
  const { sequences } = loaded;
  const perVideo = data.clipsPerVideo === 1 ? '' : ` (${data.clipsPerVideo} per video)`;
  if (sequences.count < data.batchSize) {
    throw new CliError(
      'data',
      `data.path: ${data.path} holds ${loaded.files.length} readable video${loaded.files.length === 1 ? '' : 's'}${skipped.length > 0 ? ` (${skipped.length} skipped)` : ''} giving ${sequences.count} sequence${sequences.count === 1 ? '' : 's'}${perVideo}, fewer than one batch of ${data.batchSize} (data.batchSize)`,
    );
  }
  const sum = new Array<number>(data.channels).fill(0);
  const squares = new Array<number>(data.channels).fill(0);
  for (let i = 0; i < sequences.data.length; i++) {
    const value = (sequences.data[i] as number) / 255;
    const c = i % data.channels;
    sum[c] = (sum[c] as number) + value;
    squares[c] = (squares[c] as number) + value * value;
  }
  const pixels = sequences.data.length / data.channels;
  const mean = sum.map((s) => s / pixels);
  const std = squares.map((s, c) => Math.sqrt(Math.max(1e-12, s / pixels - (mean[c] as number) ** 2)));
  const fingerprint = createHash('sha256');
  for (const file of loaded.files) fingerprint.update(`${file}\u0000${(await stat(file)).size}\n`);
  const seconds = (performance.now() - started) / 1000;
  return {
    modality: 'video',
    dataset: sequenceBatches(sequences, { batchSize: data.batchSize, seed }),
    size: data.size,
    channels: data.channels,
    frames: data.frames,
    count: sequences.count,
    videos: loaded.files.length,
    skipped,
    ignored,
    fingerprint: fingerprint.digest('hex'),
    statistics: { mean, std },
    description: `${data.path}: ${loaded.files.length} videos → ${sequences.count} sequences${perVideo} × ${data.frames} frames${data.fps === undefined ? '' : ` at ${data.fps} fps`} of ${data.size[0]}×${data.size[1]}×${data.channels}, decoded in ${seconds.toFixed(1)} s${skipped.length > 0 ? `, ${skipped.length} unreadable skipped` : ''}`,
  };
}
