import { VideoError } from './video-error.js';
import type { FrameSequences, SkippedVideo } from './video-folder.js';

/** One video's decoded sequences: bytes [sequences, frames, height, width, channels], frame numbers and times per sequence. */
export interface DecodedVideoSequences {
  file: string;
  data: Uint8Array;
  indices: number[][];
  timestamps: number[][];
}

/**
 * Concatenates the decoded sequences of several videos — all of the same frame shape — into one
 * {@link FrameSequences} buffer, in order, recording each sequence's file, clip, frames and times.
 *
 * @example
 * const { sequences, files } = packFrameSequences(decoded, { frames: 8, height: 32, width: 32, channels: 3 });
 */
export function packFrameSequences(
  videos: readonly DecodedVideoSequences[],
  shape: { frames: number; height: number; width: number; channels: number },
): { sequences: FrameSequences; files: string[] } {
  const { frames, height, width, channels } = shape;
  const count = videos.reduce((total, video) => total + video.indices.length, 0);
  const data = new Uint8Array(count * frames * height * width * channels);
  const sources: FrameSequences['sources'] = [];
  let offset = 0;
  for (const video of videos) {
    data.set(video.data, offset);
    offset += video.data.length;
    video.indices.forEach((frameIndices, clip) => {
      sources.push({ file: video.file, clip, frameIndices, timestamps: video.timestamps[clip] as number[] });
    });
  }
  return {
    sequences: { data, count, frames, height, width, channels, sources },
    files: videos.map((video) => video.file),
  };
}

/** A loader's record of a file it skipped: a {@link VideoError}'s reason and message, or `error` for anything else. */
export function skippedVideo(file: string, error: unknown): SkippedVideo {
  return error instanceof VideoError
    ? { file, reason: error.reason, message: error.message }
    : { file, reason: 'error', message: `${file}: ${(error as Error).message}` };
}
