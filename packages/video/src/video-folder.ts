import { prepareExtraction, videoSourceName } from '#frame-decoder';
import { listVideoFiles, VIDEO_EXTENSIONS } from '#video-files';
import {
  extractClipBytes,
  extractFrameBytes,
  extractSequenceBytes,
  type FrameExtractionOptions,
  type FrameRequest,
  type VideoSource,
} from './extract-frames.js';
import type { ClipRequest, SequenceRequest } from './frame-selection.js';
import { type DecodedVideoSequences, packFrameSequences, skippedVideo } from './pack-frame-sequences.js';
import type { VideoError, VideoErrorReason } from './video-error.js';

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
  /** … clips: one sequence per clip, or … */
  clips?: ClipRequest;
  /** … sequences sampled by time: at a frame rate, or spread over equal parts ({@link sequenceIndices}). */
  sequences?: SequenceRequest;
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
 * — into one {@link FrameSequences} buffer: a sequence per file (`frames`), per clip (`clips`), or
 * `clipsPerVideo` sequences sampled by time (`sequences`). With `onError: 'skip'` a corrupt,
 * truncated, empty, non-video or too short file is left out and reported with its reason; the
 * others are kept.
 *
 * @example
 * const { sequences, skipped } = await loadVideos(files, { clips: { clipLength: 16, clips: 2 }, size: 32, channels: 1 });
 * // in a browser: loadVideos([...input.files], …) — Files (or URLs), decoded by the page's <video>
 * @throws with `onError: 'throw'`, the first file's {@link VideoError}; always, if no file gives a
 *   sequence, or files give sequences of different shapes (e.g. no `size` and videos of different sizes).
 */
export async function loadVideos(
  files: readonly VideoSource[],
  options: LoadVideosOptions = {},
): Promise<LoadedVideos> {
  const { kept, skipped } = await decodeVideos(files, options);
  if (kept.length === 0) {
    throw new Error(
      `loadVideos: none of the ${files.length} file(s) gave frames${skipped.length > 0 ? `; first problem: ${skipped[0]?.message}` : ''}`,
    );
  }
  return { ...packDecoded(kept), skipped };
}

/** One file's decoded sequences, with their shape [sequences, frames, H, W, C]. */
interface DecodedVideo extends DecodedVideoSequences {
  shape: number[];
}

/** Decodes every file (the {@link loadVideos} loop), keeping the files that gave frames in order. */
export async function decodeVideos(
  files: readonly VideoSource[],
  options: LoadVideosOptions,
): Promise<{ kept: DecodedVideo[]; skipped: SkippedVideo[] }> {
  const modes = [options.frames, options.clips, options.sequences].filter((mode) => mode !== undefined);
  if (modes.length > 1) throw new Error('loadVideos: give one of frames, clips and sequences');
  // Node finds ffmpeg once, before any file (a missing ffmpeg throws instead of skipping every file).
  const extraction = await prepareExtraction(options);
  const results: Array<Omit<DecodedVideo, 'file'> | SkippedVideo | undefined> = new Array(files.length);
  let next = 0;
  let done = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < files.length && failure === undefined) {
      const index = next++;
      const source = files[index] as VideoSource;
      const file = videoSourceName(source);
      try {
        if (options.clips !== undefined || options.sequences !== undefined) {
          const clips =
            options.clips !== undefined
              ? await extractClipBytes(source, options.clips, extraction)
              : await extractSequenceBytes(source, options.sequences as SequenceRequest, extraction);
          results[index] = {
            data: clips.data,
            shape: clips.shape,
            indices: clips.indices,
            timestamps: clips.timestamps,
          };
        } else {
          const frames = await extractFrameBytes(source, options.frames ?? { count: 16 }, extraction);
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
  const kept: DecodedVideo[] = [];
  results.forEach((result, index) => {
    if (result === undefined) return;
    if ('reason' in result) skipped.push(result);
    else kept.push({ file: videoSourceName(files[index] as VideoSource), ...result });
  });
  return { kept, skipped };
}

/**
 * Packs decoded videos (at least one) into one {@link FrameSequences} buffer.
 * @throws if they give sequences of different shapes.
 */
export function packDecoded(kept: readonly DecodedVideo[]): { sequences: FrameSequences; files: string[] } {
  const shape = (kept[0] as DecodedVideo).shape.slice(1);
  for (const video of kept) {
    if (video.shape.slice(1).join() !== shape.join()) {
      throw new Error(
        `loadVideos: ${video.file} gives frames [${video.shape.slice(1)}] but ${kept[0]?.file} gives [${shape}]; set size to make them equal`,
      );
    }
  }
  const [frames, height, width, channels] = shape as [number, number, number, number];
  return packFrameSequences(kept, { frames, height, width, channels });
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
    throw new Error(`${videoSourceName(dir)}: no video files (${(options.extensions ?? VIDEO_EXTENSIONS).join(' ')})`);
  }
  return loadVideos(files, options);
}
