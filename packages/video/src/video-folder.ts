import { resolve as resolvePath } from 'node:path';
import {
  extractClipBytes,
  extractFrameBytes,
  type FrameExtractionOptions,
  type FrameRequest,
} from './extract-frames.js';
import { resolveFfmpeg } from './ffmpeg/resolve-ffmpeg.js';
import type { ClipRequest } from './frame-selection.js';
import { packFrameSequences, skippedVideo } from './pack-frame-sequences.js';
import type { VideoError, VideoErrorReason } from './video-error.js';
import { listVideoFiles, VIDEO_EXTENSIONS } from './video-files.js';

/**
 * Frame sequences of equal shape in one byte buffer [count, frames, height, width, channels]
 * (0–255), and where each came from — what video datasets hold in memory.
 */
export interface FrameSequences {
  data: Uint8Array;
  count: number;
  frames: number;
  height: number;
  width: number;
  channels: number;
  sources: Array<{ file: string; clip: number; frameIndices: number[]; timestamps: number[] }>;
}

/** A file a loader skipped, and why. */
export interface SkippedVideo {
  file: string;
  reason: VideoErrorReason | 'error';
  message: string;
}

export interface LoadVideosOptions extends Omit<FrameExtractionOptions, 'metadata'> {
  /** Frames of one sequence per video (default `{ count: 16 }`), or … */
  frames?: FrameRequest;
  /** … clips: one sequence per clip. */
  clips?: ClipRequest;
  /** `skip` (default): bad files are left out and listed in `skipped`; `throw`: the first bad file throws. */
  onError?: 'skip' | 'throw';
  /** Files decoded at once (default 2). */
  concurrency?: number;
  /** Called after each file with the files done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What a loader read. */
export interface LoadedVideos {
  sequences: FrameSequences;
  /** Files that gave sequences, in order. */
  files: string[];
  skipped: SkippedVideo[];
}

/**
 * Decodes frame sequences from video files — one ffmpeg process per file, `concurrency` at a time
 * — into one {@link FrameSequences} buffer: a sequence per file (`frames`) or per clip (`clips`).
 * With `onError: 'skip'` a corrupt, truncated, empty, non-video or too short file is left out and
 * reported with its reason; the others are kept.
 *
 * @example
 * const { sequences, skipped } = await loadVideos(files, { clips: { clipLength: 16, clips: 2 }, size: 32, channels: 1 });
 * @throws with `onError: 'throw'`, the first file's {@link VideoError}; always, if no file gives a
 *   sequence, or files give sequences of different shapes (e.g. no `size` and videos of different sizes).
 */
export async function loadVideos(files: readonly string[], options: LoadVideosOptions = {}): Promise<LoadedVideos> {
  if (options.frames !== undefined && options.clips !== undefined) {
    throw new Error('loadVideos: give frames or clips, not both');
  }
  const tools = options.tools ?? (await resolveFfmpeg(options.resolve));
  const extraction = { ...options, tools };
  const results: Array<
    { data: Uint8Array; shape: number[]; indices: number[][]; timestamps: number[][] } | SkippedVideo | undefined
  > = new Array(files.length);
  let next = 0;
  let done = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < files.length && failure === undefined) {
      const index = next++;
      const file = resolvePath(files[index] as string);
      try {
        if (options.clips !== undefined) {
          const clips = await extractClipBytes(file, options.clips, extraction);
          results[index] = {
            data: clips.data,
            shape: clips.shape,
            indices: clips.indices,
            timestamps: clips.timestamps,
          };
        } else {
          const frames = await extractFrameBytes(file, options.frames ?? { count: 16 }, extraction);
          results[index] = {
            data: frames.data,
            shape: [1, ...frames.shape],
            indices: [frames.indices],
            timestamps: [frames.timestamps],
          };
        }
      } catch (error) {
        if (options.onError === 'throw') {
          failure = error;
          return;
        }
        results[index] = skippedVideo(file, error);
      }
      options.onProgress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  if (failure !== undefined) throw failure;
  const skipped: SkippedVideo[] = [];
  const kept: Array<{ file: string; data: Uint8Array; shape: number[]; indices: number[][]; timestamps: number[][] }> =
    [];
  results.forEach((result, index) => {
    if (result === undefined) return;
    if ('reason' in result) skipped.push(result);
    else kept.push({ file: resolvePath(files[index] as string), ...result });
  });
  if (kept.length === 0) {
    throw new Error(
      `loadVideos: none of the ${files.length} file(s) gave frames${skipped.length > 0 ? `; first problem: ${skipped[0]?.message}` : ''}`,
    );
  }
  const shape = (kept[0] as (typeof kept)[number]).shape.slice(1);
  for (const video of kept) {
    if (video.shape.slice(1).join() !== shape.join()) {
      throw new Error(
        `loadVideos: ${video.file} gives frames [${video.shape.slice(1)}] but ${kept[0]?.file} gives [${shape}]; set size to make them equal`,
      );
    }
  }
  const [frames, height, width, channels] = shape as [number, number, number, number];
  return { ...packFrameSequences(kept, { frames, height, width, channels }), skipped };
}

/**
 * {@link loadVideos} on every video file under a folder ({@link listVideoFiles}).
 *
 * @example
 * const { sequences, skipped } = await loadVideoFolder('videos/', { frames: { count: 8 }, size: 64 });
 * for (const { file, reason } of skipped) console.warn(`skipped ${file}: ${reason}`);
 * @throws if the folder has no video files, and as {@link loadVideos}.
 */
export async function loadVideoFolder(
  dir: string,
  options: LoadVideosOptions & { recursive?: boolean; extensions?: readonly string[] } = {},
): Promise<LoadedVideos> {
  const files = await listVideoFiles(dir, options);
  if (files.length === 0) {
    throw new Error(`${resolvePath(dir)}: no video files (${(options.extensions ?? VIDEO_EXTENSIONS).join(' ')})`);
  }
  return loadVideos(files, options);
}
