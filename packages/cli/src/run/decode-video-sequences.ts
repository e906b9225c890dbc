import {
  clipIndices,
  evenlySpacedIndices,
  extractFrameBytes,
  type FfmpegTools,
  type FrameSequences,
  packFrameSequences,
  probeVideo,
  type SkippedVideo,
  skippedVideo,
  VideoError,
  type VideoMetadata,
} from '@selfsup/video';

/** Which frames of a video make its sequences. */
export interface VideoSampling {
  /** Frames per sequence. */
  frames: number;
  /** Frames are taken at this rate (every round(video fps / fps)-th frame); undefined: spread evenly. */
  fps?: number | undefined;
  /** Sequences per video: clips evenly spaced (with `fps`), or the video cut into equal parts. */
  clipsPerVideo: number;
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
  sampling: VideoSampling,
): number[][] {
  const { frames, fps, clipsPerVideo } = sampling;
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

/** What {@link decodeVideoSequences} decodes frames as. */
export interface VideoDecoding extends VideoSampling {
  size: [number, number];
  channels: 1 | 3;
  tools: FfmpegTools;
  /** Videos decoded at once (one ffmpeg process each). */
  concurrency: number;
  onError: 'skip' | 'throw';
}

/**
 * Decodes the sequences of every video — one ffprobe and one ffmpeg process per file,
 * `concurrency` at a time — into one {@link FrameSequences} buffer in file order. Unreadable,
 * empty, corrupt or too short files are skipped and reported (`onError: 'skip'`), or the first
 * one throws its {@link VideoError} (`'throw'`).
 *
 * @throws with `onError: 'throw'`, the first bad file's error.
 */
export async function decodeVideoSequences(
  files: readonly string[],
  options: VideoDecoding,
): Promise<{ sequences: FrameSequences; files: string[]; skipped: SkippedVideo[] }> {
  const [height, width] = options.size;
  const { frames, channels, tools } = options;
  const results: Array<{ data: Uint8Array; indices: number[][]; timestamps: number[][] } | SkippedVideo> = [];
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < files.length && failure === undefined) {
      const index = next++;
      const file = files[index] as string;
      try {
        const metadata = await probeVideo(file, { tools });
        const indices = sequenceIndices(metadata, options);
        const decoded = await extractFrameBytes(
          file,
          { indices: indices.flat() },
          { size: { width, height }, channels, tools, metadata },
        );
        results[index] = {
          data: decoded.data,
          indices,
          timestamps: indices.map((_, clip) => decoded.timestamps.slice(clip * frames, (clip + 1) * frames)),
        };
      } catch (error) {
        if (options.onError === 'throw') {
          failure = error;
          return;
        }
        results[index] = skippedVideo(file, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  if (failure !== undefined) throw failure;
  const skipped: SkippedVideo[] = [];
  const kept: Array<{ file: string; data: Uint8Array; indices: number[][]; timestamps: number[][] }> = [];
  results.forEach((result, index) => {
    if ('reason' in result) skipped.push(result);
    else kept.push({ file: files[index] as string, ...result });
  });
  return { ...packFrameSequences(kept, { frames, height, width, channels }), skipped };
}
