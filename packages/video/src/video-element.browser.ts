// Browser only: a video opened in a detached <video> element, seeked frame by frame. Chromium
// shows, after a seek to time t, the frame whose presentation interval holds t — the frame Node's
// ffmpeg path picks for t — and requestVideoFrameCallback reports that frame's own timestamp.
import type { VideoMetadata } from './probe-video.node.js';
import { VideoError } from './video-error.js';

/** A video ready to seek: its element, name for errors, and what the page knows of the file. */
export interface OpenedVideo {
  video: HTMLVideoElement;
  name: string;
  sizeBytes: number;
  mimeType: string;
  close(): void;
}

/** The name a video goes by in errors and results: its URL, or a File's name (`blob` for a bare Blob). */
export function videoSourceName(source: string | Blob): string {
  return typeof source === 'string' ? source : (source as File).name || 'blob';
}

/**
 * Loads a video (a URL or a Blob/File) into a muted, detached `<video>` until its first frame can
 * be drawn.
 * @throws a {@link VideoError}: `empty`, `not-found` (the URL cannot be fetched), `unreadable`
 *   (not a video the browser decodes), `no-video-stream`, `timeout`, `aborted`.
 */
export async function openVideo(
  source: string | Blob,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<OpenedVideo> {
  const name = videoSourceName(source);
  if (typeof source !== 'string' && source.size === 0)
    throw new VideoError(name, 'empty', 'the file is empty (0 bytes)');
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  video.playsInline = true;
  const objectUrl = typeof source === 'string' ? undefined : URL.createObjectURL(source);
  if (typeof source === 'string') video.crossOrigin = 'anonymous';
  const close = () => {
    video.removeAttribute('src');
    video.load();
    if (objectUrl !== undefined) URL.revokeObjectURL(objectUrl);
  };
  try {
    await untilEvent(video, 'loadeddata', name, options, () => {
      video.src = objectUrl ?? (source as string);
    });
  } catch (error) {
    close();
    throw error;
  }
  if (video.videoWidth === 0 || video.videoHeight === 0) {
    close();
    throw new VideoError(name, 'no-video-stream', 'has no video stream the browser can show');
  }
  return {
    video,
    name,
    sizeBytes: typeof source === 'string' ? 0 : source.size,
    mimeType: typeof source === 'string' ? '' : source.type,
    close,
  };
}

/**
 * Seeks to `seconds` and waits until the frame shown there is ready to draw.
 * @returns that frame's timestamp in seconds (requestVideoFrameCallback's `mediaTime`), or
 *   undefined where the browser does not report it.
 */
export function seekFrame(
  opened: OpenedVideo,
  seconds: number,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<number | undefined> {
  const { video, name } = opened;
  let mediaTime: number | undefined;
  let framed = !('requestVideoFrameCallback' in video);
  const handle = framed
    ? undefined
    : video.requestVideoFrameCallback((_now, metadata) => {
        mediaTime = metadata.mediaTime;
        framed = true;
      });
  return untilEvent(video, 'seeked', name, options, () => {
    video.currentTime = seconds;
  }).then(async () => {
    // The frame callback comes with the next composited frame; a seek that lands on the frame
    // already shown may not bring one, so wait a little and then use the seek's own position.
    for (let waited = 0; !framed && waited < 40; waited++) await new Promise((resolve) => setTimeout(resolve, 5));
    if (!framed && handle !== undefined) video.cancelVideoFrameCallback(handle);
    return mediaTime;
  });
}

/** Resolves on `event`, rejects on the element's error, the timeout or the signal; `start` triggers it. */
function untilEvent(
  video: HTMLVideoElement,
  event: 'loadeddata' | 'seeked',
  name: string,
  options: { timeoutMs?: number; signal?: AbortSignal },
  start: () => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const cleanup = () => {
      clearTimeout(timer);
      video.removeEventListener(event, onEvent);
      video.removeEventListener('error', onError);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const onEvent = () => {
      cleanup();
      resolve();
    };
    const onError = () => {
      cleanup();
      reject(mediaError(name, video.error));
    };
    const onAbort = () => {
      cleanup();
      reject(new VideoError(name, 'aborted', 'aborted by the caller'));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new VideoError(
          name,
          'timeout',
          `the browser did not ${event === 'seeked' ? 'seek' : 'load'} the video within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    video.addEventListener(event, onEvent);
    video.addEventListener('error', onError);
    options.signal?.addEventListener('abort', onAbort);
    start();
  });
}

function mediaError(name: string, error: MediaError | null): VideoError {
  const detail = error?.message ? ` (${error.message})` : '';
  switch (error?.code) {
    case MediaError.MEDIA_ERR_NETWORK:
      return new VideoError(name, 'not-found', `cannot be fetched${detail}`);
    case MediaError.MEDIA_ERR_DECODE:
      return new VideoError(name, 'corrupt', `the browser cannot decode it${detail}`);
    default:
      return new VideoError(name, 'unreadable', `not a video the browser can read${detail}`);
  }
}

const probed = new WeakMap<Blob, VideoMetadata>();

/**
 * What a page can learn of an opened video, in the shape ffprobe's metadata has: size and duration
 * from the element; the start, frame interval and last frame from the timestamps of the frames
 * shown after seeks (frame 1 found by bisection), so the frame count and rate are those of the
 * stream. Cached per Blob.
 * @throws a {@link VideoError} `still-image` for a single frame, `corrupt` without a finite duration.
 */
export async function probeOpened(
  opened: OpenedVideo,
  source: string | Blob,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<VideoMetadata> {
  const cached = typeof source === 'string' ? undefined : probed.get(source);
  if (cached !== undefined) return cached;
  const { video, name } = opened;
  const duration = video.duration;
  if (!Number.isFinite(duration) || duration <= 0) {
    throw new VideoError(name, 'corrupt', `the browser reports no finite duration (${duration})`);
  }
  const frameAt = async (seconds: number) => (await seekFrame(opened, Math.min(seconds, duration), options)) ?? seconds;
  const start = await frameAt(0);
  const last = await frameAt(duration);
  if (last <= start) throw new VideoError(name, 'still-image', 'is a single picture, not a video');
  // Bisection for the second frame's timestamp: the first time that shows a later frame than the first.
  let low = start;
  let high = Math.min(duration, start + 1 / 240);
  while ((await frameAt(high)) <= start && high < duration) high = Math.min(duration, start + 2 * (high - start));
  while (high - low > 1e-5) {
    const middle = (low + high) / 2;
    if ((await frameAt(middle)) > start) high = middle;
    else low = middle;
  }
  const second = await frameAt(high);
  const frameCount = Math.round((last - start) / (second - start)) + 1;
  // Containers round timestamps (WebM to milliseconds): the duration, when it holds the frames
  // evenly, gives the rate exactly; otherwise the span from the first to the last frame does.
  const fromDuration = frameCount / (duration - start);
  const fromSpan = (frameCount - 1) / (last - start);
  const frameRate = Math.abs(fromDuration - fromSpan) <= 0.02 * fromSpan ? fromDuration : fromSpan;
  const middleFrame = Math.floor(frameCount / 2);
  const middleTime = await frameAt(start + (middleFrame + 0.5) / frameRate);
  const metadata: VideoMetadata = {
    file: name,
    sizeBytes: opened.sizeBytes,
    formatName: opened.mimeType || formatFromName(name),
    codec: 'unknown',
    width: video.videoWidth,
    height: video.videoHeight,
    pixelFormat: 'unknown',
    frameRate,
    constantFrameRate: Math.abs(middleTime - (start + middleFrame / frameRate)) < 0.25 / frameRate,
    frameCount,
    frameCountSource: 'timestamps',
    durationSeconds: duration - start,
    startSeconds: start,
    timeBase: [1, 1_000_000],
    rotation: 0,
    hasAudio: ((video as HTMLVideoElement & { audioTracks?: { length: number } }).audioTracks?.length ?? 0) > 0,
  };
  if (typeof source !== 'string') probed.set(source, metadata);
  return metadata;
}

function formatFromName(name: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(name)?.[1]?.toLowerCase();
  return extension === undefined ? 'unknown' : extension === 'mkv' ? 'matroska' : extension;
}
