// Browser: frames come from the page's <video> element — seeked to each wanted frame, drawn to an
// OffscreenCanvas at the output size, read back as RGB (or luma) bytes: the same shapes, 0–255
// bytes, frame choice and timestamps as Node's ffmpeg path.
import type { FrameBytes, FrameExtractionOptions, FrameRequest } from './extract-frames.js';
import { checkRequest, outputSize } from './frame-request.js';
import { evenlySpacedIndices } from './frame-selection.js';
import type { VideoMetadata } from './probe-video.node.js';
import { type OpenedVideo, openVideo, probeOpened, seekFrame, videoSourceName } from './video-element.browser.js';
import { VideoError } from './video-error.js';

export { videoSourceName };

/** The options as they are: a page has no tools to find before decoding. */
export async function prepareExtraction(options: FrameExtractionOptions): Promise<FrameExtractionOptions> {
  return options;
}

/**
 * A video's metadata and the options carrying it, for the extractions that follow.
 * @throws as {@link extractFrameBytes}.
 */
export async function videoMetadata(
  source: string | Blob,
  options: FrameExtractionOptions = {},
): Promise<{ metadata: VideoMetadata; options: FrameExtractionOptions }> {
  if (options.metadata !== undefined) return { metadata: options.metadata, options };
  const opened = await openVideo(source, pick(options));
  try {
    const metadata = await probeOpened(opened, source, pick(options));
    return { metadata, options: { ...options, metadata } };
  } finally {
    opened.close();
  }
}

/**
 * Extracts frames as bytes [count, height, width, channels] 0–255 in a browser: a frame number k
 * is the frame shown at `start + (k + ½) / frameRate`, a time t the frame shown at t (the last
 * frame whose timestamp is not after it), as in Node. Each distinct frame is decoded once, in time
 * order. Resizing (`stretch`, `crop`, `pad`) is the canvas's (`interpolation: 'neighbor'` turns
 * smoothing off; other scalers ask for high quality); `threads`, `seek`, `strict`, `tools` and
 * `resolve` have no meaning here.
 *
 * @example
 * const { data, shape, timestamps } = await extractFrameBytes(input.files[0], { count: 16 }, { size: 112 });
 * @throws a {@link VideoError} naming the file: `empty`, `unreadable`, `no-video-stream`,
 *   `still-image`, `out-of-range`, `corrupt`, `timeout`, `aborted`.
 */
export async function extractFrameBytes(
  source: string | Blob,
  request: FrameRequest,
  options: FrameExtractionOptions = {},
): Promise<FrameBytes> {
  const opened = await openVideo(source, pick(options));
  try {
    const metadata = options.metadata ?? (await probeOpened(opened, source, pick(options)));
    return await decodeFrames(opened, metadata, request, options);
  } finally {
    opened.close();
  }
}

async function decodeFrames(
  opened: OpenedVideo,
  metadata: VideoMetadata,
  request: FrameRequest,
  options: FrameExtractionOptions,
): Promise<FrameBytes> {
  const { name } = opened;
  checkRequest(name, request, metadata);
  const size = outputSize(options, metadata);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new Error(`${name}: channels must be 1 or 3; got ${channels}`);
  const start = metadata.startSeconds;
  const fps = metadata.frameRate;
  const duration = opened.video.duration;
  const indices =
    'timestamps' in request
      ? undefined
      : 'count' in request
        ? evenlySpacedIndices(metadata.frameCount, request.count)
        : [...request.indices];
  // Where to seek for each requested frame: the middle of frame k's interval, or just after time t.
  const seekTimes =
    indices === undefined
      ? (request as { timestamps: readonly number[] }).timestamps.map((t) => Math.min(duration, start + t + 1e-6))
      : indices.map((k) => Math.min(duration, start + (k + 0.5) / fps));
  const frameBytes = size.width * size.height * channels;
  const data = new Uint8Array(seekTimes.length * frameBytes);
  const timestamps = new Array<number>(seekTimes.length);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error(`${name}: the browser gives no 2D canvas to draw frames on`);
  const order = seekTimes.map((time, row) => ({ time, row })).sort((a, b) => a.time - b.time);
  let previous: { time: number; row: number; shown: number } | undefined;
  for (const { time, row } of order) {
    if (options.signal?.aborted) throw new VideoError(name, 'aborted', 'aborted by the caller');
    if (previous !== undefined && previous.time === time) {
      data.copyWithin(row * frameBytes, previous.row * frameBytes, (previous.row + 1) * frameBytes);
      timestamps[row] = previous.shown;
      continue;
    }
    const shown = (await seekFrame(opened, time, pick(options))) ?? time;
    drawFrame(context, opened.video, size, options, metadata);
    const rgba = context.getImageData(0, 0, size.width, size.height).data;
    toBytes(rgba, data.subarray(row * frameBytes, (row + 1) * frameBytes), channels);
    timestamps[row] = shown - start;
    previous = { time, row, shown: shown - start };
  }
  return {
    data,
    shape: [seekTimes.length, size.height, size.width, channels],
    indices: indices ?? timestamps.map((t) => Math.round(t * fps)),
    timestamps,
    metadata,
    warnings: [],
  };
}

/** Draws the shown frame at the output size: stretched, covered and centre-cropped, or fitted with black bars. */
function drawFrame(
  context: OffscreenCanvasRenderingContext2D,
  video: HTMLVideoElement,
  size: { width: number; height: number },
  options: FrameExtractionOptions,
  metadata: VideoMetadata,
): void {
  const { width, height } = size;
  const sourceWidth = metadata.width;
  const sourceHeight = metadata.height;
  context.imageSmoothingEnabled = options.interpolation !== 'neighbor';
  context.imageSmoothingQuality = options.interpolation === 'bilinear' ? 'low' : 'high';
  const resize = options.resize ?? 'stretch';
  if (resize === 'stretch') {
    context.drawImage(video, 0, 0, width, height);
  } else if (resize === 'crop') {
    const scale = Math.max(width / sourceWidth, height / sourceHeight);
    const cropWidth = width / scale;
    const cropHeight = height / scale;
    context.drawImage(
      video,
      (sourceWidth - cropWidth) / 2,
      (sourceHeight - cropHeight) / 2,
      cropWidth,
      cropHeight,
      0,
      0,
      width,
      height,
    );
  } else if (resize === 'pad') {
    const scale = Math.min(width / sourceWidth, height / sourceHeight);
    const drawWidth = Math.round(sourceWidth * scale);
    const drawHeight = Math.round(sourceHeight * scale);
    context.fillStyle = 'black';
    context.fillRect(0, 0, width, height);
    context.drawImage(
      video,
      Math.floor((width - drawWidth) / 2),
      Math.floor((height - drawHeight) / 2),
      drawWidth,
      drawHeight,
    );
  } else {
    throw new Error(`resize must be stretch, crop or pad; got '${String(resize)}'`);
  }
}

/** RGBA → RGB, or → luma (BT.601 weights, what ffmpeg's `gray` holds for a YUV video). */
function toBytes(rgba: Uint8ClampedArray, out: Uint8Array, channels: 1 | 3): void {
  const pixels = rgba.length / 4;
  if (channels === 3) {
    for (let p = 0; p < pixels; p++) {
      out[3 * p] = rgba[4 * p] as number;
      out[3 * p + 1] = rgba[4 * p + 1] as number;
      out[3 * p + 2] = rgba[4 * p + 2] as number;
    }
  } else {
    for (let p = 0; p < pixels; p++) {
      const luma =
        0.299 * (rgba[4 * p] as number) + 0.587 * (rgba[4 * p + 1] as number) + 0.114 * (rgba[4 * p + 2] as number);
      out[p] = Math.round(luma);
    }
  }
}

function pick(options: FrameExtractionOptions): { timeoutMs?: number; signal?: AbortSignal } {
  return {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}
