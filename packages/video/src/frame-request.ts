import type { VideoMetadata } from '#probe-video';
import type { FrameExtractionOptions, FrameRequest } from './extract-frames.js';
import { VideoError } from './video-error.js';

/**
 * The size frames come out at: `options.size`, or the video's own.
 * @throws if the size is not positive integers.
 */
export function outputSize(
  options: FrameExtractionOptions,
  metadata: VideoMetadata,
): { width: number; height: number } {
  const size = options.size;
  const { width, height } =
    size === undefined
      ? { width: metadata.width, height: metadata.height }
      : typeof size === 'number'
        ? { width: size, height: size }
        : size;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`frame size must be positive integers; got ${width}×${height}`);
  }
  return { width, height };
}

/**
 * Checks a frame request against the video: a positive count, integer frame numbers inside the
 * video, times from 0 to its duration.
 * @throws naming the file; a {@link VideoError} `out-of-range` for frames or times outside the video.
 */
export function checkRequest(file: string, request: FrameRequest, metadata: VideoMetadata): void {
  if ('count' in request) {
    if (!Number.isInteger(request.count) || request.count < 1) {
      throw new Error(`${file}: count must be a positive integer; got ${request.count}`);
    }
  } else if ('indices' in request) {
    if (request.indices.length === 0) throw new Error(`${file}: no frame indices requested`);
    for (const index of request.indices) {
      if (!Number.isInteger(index)) throw new Error(`${file}: frame index ${index} is not an integer`);
      if (index < 0 || index >= metadata.frameCount) {
        throw new VideoError(
          file,
          'out-of-range',
          `frame ${index} is outside the video's ${metadata.frameCount} frames (0–${metadata.frameCount - 1})`,
        );
      }
    }
  } else if ('timestamps' in request) {
    if (request.timestamps.length === 0) throw new Error(`${file}: no timestamps requested`);
    for (const time of request.timestamps) {
      if (!Number.isFinite(time) || time < 0 || time > metadata.durationSeconds + 1e-6) {
        throw new VideoError(
          file,
          'out-of-range',
          `time ${time} s is outside the video (0–${metadata.durationSeconds.toFixed(3)} s)`,
        );
      }
    }
  } else {
    throw new Error(`${file}: a frame request needs count, indices or timestamps`);
  }
}
