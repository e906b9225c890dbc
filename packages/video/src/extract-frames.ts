import { type Tensor4D, type Tensor5D, tf } from '@selfsup/backend';
import { extractFrameBytes, videoMetadata } from '#frame-decoder';
import type { VideoMetadata } from '#probe-video';
import type { FfmpegTools, ResolveFfmpegOptions } from '#resolve-ffmpeg';
import { type ClipRequest, clipIndices, type SequenceRequest, sequenceIndices } from './frame-selection.js';
import { VideoError } from './video-error.js';

export { extractFrameBytes };

/**
 * Where a video is: a file path (Node), a URL (browser: fetched by the page's `<video>`), or a
 * `Blob`/`File` (both: Node writes it to a temporary file for ffmpeg).
 */
export type VideoSource = string | Blob;

/**
 * Which frames to extract:
 * - `{ count }`: `count` frames evenly spaced from the first to the last;
 * - `{ indices }`: frame numbers (0-based, display order);
 * - `{ timestamps }`: seconds from the first frame; each gives the frame shown at that time
 *   (the last frame whose timestamp is not after it), for times from 0 to the video's duration.
 */
export type FrameRequest = { count: number } | { indices: readonly number[] } | { timestamps: readonly number[] };

/** How frames are resized: `stretch` to the size, `crop` (cover, then centre crop) or `pad` (fit, then black bars). */
export type FrameResize = 'stretch' | 'crop' | 'pad';

export interface FrameExtractionOptions {
  /** Output size: a side for square frames, or width and height (default: the video's own size). */
  size?: number | { width: number; height: number };
  /** Default `stretch` (as `scale=W:H`). */
  resize?: FrameResize;
  /** ffmpeg's scaler (default `bicubic`, ffmpeg's own default; `area` averages when shrinking a lot). */
  interpolation?: 'bicubic' | 'bilinear' | 'area' | 'lanczos' | 'neighbor';
  /** 3: RGB (default), 1: grayscale (luma). */
  channels?: 1 | 3;
  /**
   * Treat errors ffmpeg reports while decoding as a corrupt file (default true). With `false`,
   * frames ffmpeg concealed are returned and its messages are in `warnings`.
   */
  strict?: boolean;
  /** ffmpeg's decoding threads (default: ffmpeg's choice). */
  threads?: number;
  /**
   * Start decoding at the keyframe before the first wanted frame (ffmpeg input seeking, `-ss`
   * before `-i`), not at the first frame of the file, and choose the frames by timestamp (default
   * true): a clip near the end of a long file costs a keyframe interval of decoding, not the whole
   * file. Frames asked for by number are seeked to in constant-frame-rate files
   * ({@link VideoMetadata.constantFrameRate}); others are decoded from the start. Either way the
   * frames are the same as decoding from the start: a seeked result whose frames are not exactly
   * the ones asked for (number and timestamps) is discarded and the request decoded from the start.
   */
  seek?: boolean;
  /**
   * ffmpeg and ffprobe are killed after this time. Default: 60 s for the probe, and for ffmpeg
   * 60 s plus the video's duration (decoding slower than real time means something is stuck).
   */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Metadata from an earlier {@link probeVideo} of the same file: skips the probe. */
  metadata?: VideoMetadata;
  /** Resolved binaries (default: {@link resolveFfmpeg}). */
  tools?: FfmpegTools;
  resolve?: ResolveFfmpegOptions;
}

/** Extracted frames as bytes, before any tensor: [count, height, width, channels] row-major, 0–255. */
export interface FrameBytes {
  data: Uint8Array;
  shape: [number, number, number, number];
  /** The frame number of each frame (for timestamp requests: the timestamp times the frame rate, rounded). */
  indices: number[];
  /** The timestamp of each frame in seconds from the first frame, from the decoded frames' own timestamps. */
  timestamps: number[];
  metadata: VideoMetadata;
  /** ffmpeg's decoding complaints, with `strict: false`. */
  warnings: string[];
}

/**
 * Bytes 0–255 → a float32 tensor in [0, 1] of the given shape (each value byte / 255, rounded to
 * float32). The division runs on the backend: a JS loop over the floats, then copying them in,
 * costs three times as much.
 */
export function bytesToTensor<R extends number[]>(data: Uint8Array, shape: R): tf.Tensor {
  return tf.tidy(() => tf.div(tf.cast(tf.tensor(new Int32Array(data), shape, 'int32'), 'float32'), 255));
}

/** Frames as a tensor, with where they came from. The caller disposes `frames`. */
export interface ExtractedFrames extends Omit<FrameBytes, 'data' | 'shape'> {
  /** [count, height, width, channels] float32 in [0, 1]. */
  frames: Tensor4D;
}

/**
 * Extracts frames from a video into a tensor [count, H, W, C] in [0, 1] — one ffmpeg process per
 * call in Node; in a browser the page's `<video>` element, seeked to each frame and drawn to a
 * canvas (see {@link extractFrameBytes}): the same frames, shapes and timestamps.
 *
 * @example
 * const { frames, timestamps } = await extractFrames('clip.mp4', { count: 16 }, { size: 112 });
 * // frames [16, 112, 112, 3]; timestamps [0, 0.667, …, 9.967]
 * frames.dispose();
 * // in a browser: await extractFrames(input.files[0], { count: 16 }, { size: 112 }) — or a URL
 * @throws as {@link extractFrameBytes}.
 */
export async function extractFrames(
  source: VideoSource,
  request: FrameRequest,
  options: FrameExtractionOptions = {},
): Promise<ExtractedFrames> {
  const { data, shape, ...rest } = await extractFrameBytes(source, request, options);
  return { ...rest, frames: bytesToTensor(data, shape) as Tensor4D };
}

/** Clips as a tensor, with where they came from. The caller disposes `clips`. */
export interface ExtractedClips {
  /** [clips, clipLength, height, width, channels] float32 in [0, 1]. */
  clips: Tensor5D;
  /** Frame numbers [clips][clipLength]. */
  indices: number[][];
  /** Timestamps in seconds from the first frame [clips][clipLength]. */
  timestamps: number[][];
  metadata: VideoMetadata;
  warnings: string[];
}

/**
 * Extracts clips of `clipLength` frames `frameStride` apart (evenly spaced clips, a clip every
 * `clipStride` frames, or clips at given starts) into a tensor [clips, clipLength, H, W, C] in
 * [0, 1] — all clips in one ffmpeg process; frames shared by overlapping clips are decoded once.
 *
 * @example
 * const { clips } = await extractClips('clip.mp4', { clipLength: 8, frameStride: 2, clips: 4 }, { size: 64 });
 * // clips [4, 8, 64, 64, 3]
 * @throws as {@link extractFrameBytes}; `out-of-range` if a clip does not fit in the video.
 */
export async function extractClips(
  source: VideoSource,
  request: ClipRequest,
  options: FrameExtractionOptions = {},
): Promise<ExtractedClips> {
  const bytes = await extractClipBytes(source, request, options);
  const [clips, clipLength, height, width, channels] = bytes.shape;
  return {
    clips: bytesToTensor(bytes.data, [clips, clipLength, height, width, channels]) as Tensor5D,
    indices: bytes.indices,
    timestamps: bytes.timestamps,
    metadata: bytes.metadata,
    warnings: bytes.warnings,
  };
}

/** Clips as bytes, before any tensor: [clips, clipLength, H, W, C] row-major, 0–255, with where they came from. */
export interface ClipBytes {
  data: Uint8Array;
  shape: [number, number, number, number, number];
  /** Frame numbers [clips][clipLength]. */
  indices: number[][];
  /** Timestamps in seconds from the first frame [clips][clipLength]. */
  timestamps: number[][];
  metadata: VideoMetadata;
  warnings: string[];
}

/** {@link extractClips} without tensors: bytes [clips, clipLength, H, W, C]. */
export async function extractClipBytes(
  source: VideoSource,
  request: ClipRequest,
  options: FrameExtractionOptions = {},
): Promise<ClipBytes> {
  return extractPlannedClips(source, request.clipLength, options, (metadata, file) => {
    try {
      return clipIndices(metadata.frameCount, request);
    } catch (error) {
      const message = (error as Error).message;
      if (message.startsWith('clip request')) throw new Error(`${file}: ${message}`);
      throw new VideoError(file, 'out-of-range', message);
    }
  });
}

/**
 * Extracts `clipsPerVideo` sequences of `frames` frames sampled by time ({@link sequenceIndices}:
 * at a frame rate, or spread over equal parts of the video) as bytes [sequences, frames, H, W, C]
 * 0–255 — all in one ffmpeg process.
 *
 * @example
 * const { shape } = await extractSequenceBytes('clip.mp4', { frames: 8, fps: 4, clipsPerVideo: 2 }, { size: 32 });
 * // shape [2, 8, 32, 32, 3]
 * @throws as {@link extractFrameBytes}; `out-of-range` if the video is too short for the sequences.
 */
export async function extractSequenceBytes(
  source: VideoSource,
  request: SequenceRequest,
  options: FrameExtractionOptions = {},
): Promise<ClipBytes> {
  return extractPlannedClips(source, request.frames, options, (metadata) => sequenceIndices(metadata, request));
}

/** Probes the video, plans its clips' frame numbers from the metadata, and decodes them in one pass (one ffmpeg process in Node). */
async function extractPlannedClips(
  source: VideoSource,
  clipLength: number,
  options: FrameExtractionOptions,
  plan: (metadata: VideoMetadata, file: string) => number[][],
): Promise<ClipBytes> {
  const { metadata, options: resolved } = await videoMetadata(source, options);
  const perClip = plan(metadata, metadata.file);
  const frames = await extractFrameBytes(source, { indices: perClip.flat() }, resolved);
  const [, height, width, channels] = frames.shape;
  return {
    data: frames.data,
    shape: [perClip.length, clipLength, height, width, channels],
    indices: perClip,
    timestamps: perClip.map((_, c) => frames.timestamps.slice(c * clipLength, (c + 1) * clipLength)),
    metadata,
    warnings: frames.warnings,
  };
}
