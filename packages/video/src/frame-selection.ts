import type { VideoMetadata } from '#probe-video';
import { VideoError } from './video-error.js';

/**
 * `count` frame numbers evenly spaced over `frameCount` frames, first and last included:
 * round(linspace(0, frameCount − 1, count)).
 *
 * @example
 * evenlySpacedIndices(300, 16); // [0, 20, 40, 60, 80, 100, 120, 140, 159, 179, 199, 219, 239, 259, 279, 299]
 * @throws if count or frameCount is not a positive integer.
 */
export function evenlySpacedIndices(frameCount: number, count: number): number[] {
  if (!Number.isInteger(frameCount) || frameCount < 1) {
    throw new Error(`evenlySpacedIndices: frameCount must be a positive integer; got ${frameCount}`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`evenlySpacedIndices: count must be a positive integer; got ${count}`);
  }
  if (count === 1) return [0];
  return Array.from({ length: count }, (_, i) => Math.floor((i * (frameCount - 1)) / (count - 1) + 0.5));
}

/** Which clips of consecutive (strided) frames to take from a video. */
export interface ClipRequest {
  /** Frames per clip. */
  clipLength: number;
  /** Frame numbers between consecutive frames of a clip (default 1: consecutive frames). */
  frameStride?: number;
  /** Clips evenly spaced over the video (default 1), or … */
  clips?: number;
  /** … a clip every `clipStride` frames from the first frame, as many as fit. */
  clipStride?: number;
  /** … or clips starting at these frame numbers. */
  starts?: readonly number[];
}

/**
 * The frame numbers of each clip: clip c, frame k is `start[c] + k·frameStride`.
 *
 * @example
 * clipIndices(300, { clipLength: 4, frameStride: 2, clips: 3 }); // [[0,2,4,6], [147,149,151,153], [293,295,297,299]]
 * @throws if the request is malformed or a clip does not fit in `frameCount` frames (the message
 *   says how many frames a clip spans).
 */
export function clipIndices(frameCount: number, request: ClipRequest): number[][] {
  const { clipLength } = request;
  const frameStride = request.frameStride ?? 1;
  for (const [key, value] of Object.entries({ clipLength, frameStride })) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`clip request: ${key} must be a positive integer; got ${value}`);
  }
  const modes = [request.clips, request.clipStride, request.starts].filter((v) => v !== undefined).length;
  if (modes > 1) throw new Error('clip request: give at most one of clips, clipStride and starts');
  const span = (clipLength - 1) * frameStride + 1;
  if (span > frameCount) {
    throw new Error(
      `a clip of ${clipLength} frames with stride ${frameStride} spans ${span} frames; the video has ${frameCount}`,
    );
  }
  const lastStart = frameCount - span;
  let starts: number[];
  if (request.starts !== undefined) {
    starts = [...request.starts];
    for (const start of starts) {
      if (!Number.isInteger(start) || start < 0 || start > lastStart) {
        throw new Error(
          `a clip starting at frame ${start} does not fit: clips of ${span} frames start at 0–${lastStart} in ${frameCount} frames`,
        );
      }
    }
  } else if (request.clipStride !== undefined) {
    const stride = request.clipStride;
    if (!Number.isInteger(stride) || stride < 1)
      throw new Error(`clip request: clipStride must be a positive integer; got ${stride}`);
    starts = Array.from({ length: Math.floor(lastStart / stride) + 1 }, (_, c) => c * stride);
  } else {
    starts = evenlySpacedIndices(lastStart + 1, request.clips ?? 1);
  }
  return starts.map((start) => Array.from({ length: clipLength }, (_, k) => start + k * frameStride));
}

/**
 * Sequences of a video sampled by time: `clipsPerVideo` sequences of `frames` frames, taken at a
 * frame rate or spread over the video (what a video-folder dataset decodes).
 */
export interface SequenceRequest {
  /** Frames per sequence. */
  frames: number;
  /** Frames are taken at this rate (every round(video fps / fps)-th frame); left out: spread evenly. */
  fps?: number | undefined;
  /** Sequences per video (default 1): clips evenly spaced (with `fps`), or the video cut into equal parts. */
  clipsPerVideo?: number;
}

/**
 * The frame numbers of each sequence of a video: with `fps`, `clipsPerVideo` evenly spaced clips
 * of `frames` frames `round(frameRate / fps)` apart; without, the video cut into `clipsPerVideo`
 * equal parts and `frames` frames evenly spaced over each (first and last included).
 *
 * @example
 * sequenceIndices({ file: 'a.mp4', frameCount: 300, frameRate: 30 }, { frames: 4, fps: 5, clipsPerVideo: 2 });
 * // [[0, 6, 12, 18], [281, 287, 293, 299]]
 * @throws VideoError('out-of-range') when the video is too short for its sequences (the message
 *   says what it has and what they need).
 */
export function sequenceIndices(
  metadata: Pick<VideoMetadata, 'file' | 'frameCount' | 'frameRate'>,
  request: SequenceRequest,
): number[][] {
  const { frames, fps } = request;
  const clipsPerVideo = request.clipsPerVideo ?? 1;
  const { file, frameCount, frameRate } = metadata;
  const wanted = `${clipsPerVideo} sequence${clipsPerVideo === 1 ? '' : 's'} of ${frames} frames`;
  if (fps !== undefined) {
    const frameStride = Math.max(1, Math.round(frameRate / fps));
    const span = (frames - 1) * frameStride + 1;
    if (span > frameCount) {
      throw new VideoError(
        file,
        'out-of-range',
        `too short: ${frameCount} frames (${(frameCount / frameRate).toFixed(2)} s at ${frameRate.toFixed(2)} fps), but a clip of ${frames} frames at ${fps} fps spans ${span}`,
      );
    }
    return clipIndices(frameCount, { clipLength: frames, frameStride, clips: clipsPerVideo });
  }
  const part = Math.floor(frameCount / clipsPerVideo);
  if (part < frames) {
    throw new VideoError(file, 'out-of-range', `too short: ${frameCount} frames, fewer than ${wanted} need`);
  }
  return Array.from({ length: clipsPerVideo }, (_, clip) =>
    evenlySpacedIndices(part, frames).map((index) => clip * part + index),
  );
}

/**
 * An ffmpeg `select` expression that passes exactly the given frame numbers: runs of consecutive
 * numbers become `between(n,a,b)`, the rest `eq(n,a)`.
 */
export function selectFramesExpression(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const terms: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    const first = sorted[i] as number;
    const last = sorted[j] as number;
    if (last - first >= 2) terms.push(`between(n,${first},${last})`);
    else for (let k = i; k <= j; k++) terms.push(`eq(n,${sorted[k]})`);
    i = j + 1;
  }
  return terms.join('+');
}
