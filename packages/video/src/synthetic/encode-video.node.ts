import { mkdir } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { type FfmpegTools, type ResolveFfmpegOptions, resolveFfmpeg } from '../ffmpeg/resolve-ffmpeg.node.js';
import { runFfmpeg } from '../ffmpeg/run-ffmpeg.js';

/**
 * Codecs for written videos: `h264` (libx264, yuv420p, `.mp4`), `vp9` (libvpx-vp9, `.webm`),
 * `vp8` (libvpx, `.webm`), and lossless `ffv1` (`.mkv`: decoded pixels equal the written ones).
 */
export type VideoCodec = 'h264' | 'vp9' | 'vp8' | 'ffv1';

/** The codecs {@link encodeRawVideo} writes. */
export const VIDEO_CODECS: readonly VideoCodec[] = ['h264', 'vp9', 'vp8', 'ffv1'];

export interface EncodeVideoOptions {
  /** Default `h264`. */
  codec?: VideoCodec;
  /** Keyframe interval in frames (default: the encoder's). */
  gop?: number;
  /** Quality for h264/vp8/vp9, lower is better (default 18 for h264, 32 for vp8/vp9). */
  crf?: number;
  /** mp4 only: put the index at the front (`-movflags +faststart`), as streaming servers want. */
  faststart?: boolean;
  /** ffmpeg's threads (default: ffmpeg's choice). */
  threads?: number;
  timeoutMs?: number;
  tools?: FfmpegTools;
  resolve?: ResolveFfmpegOptions;
}

/** Raw frames to encode: [frames, height, width, channels] bytes, row-major. */
export interface RawVideo {
  data: Uint8Array;
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB). */
  channels: 1 | 3;
  fps: number;
}

/** ffmpeg output options for a codec, from yuv420p/gray/bgr0 sources. */
function codecOptions(codec: VideoCodec, options: EncodeVideoOptions, channels: 1 | 3): string[] {
  const gop = options.gop === undefined ? [] : ['-g', String(options.gop)];
  const threads = options.threads === undefined ? [] : ['-threads', String(options.threads)];
  switch (codec) {
    case 'h264':
      return [
        '-c:v',
        'libx264',
        '-preset',
        'medium',
        '-crf',
        String(options.crf ?? 18),
        '-pix_fmt',
        'yuv420p',
        ...gop,
        ...threads,
        ...(options.faststart ? ['-movflags', '+faststart'] : []),
      ];
    case 'vp9':
    case 'vp8':
      return [
        '-c:v',
        codec === 'vp9' ? 'libvpx-vp9' : 'libvpx',
        '-b:v',
        codec === 'vp9' ? '0' : '1M',
        '-crf',
        String(options.crf ?? 32),
        '-deadline',
        'good',
        '-cpu-used',
        '4',
        '-pix_fmt',
        'yuv420p',
        ...gop,
        ...threads,
      ];
    case 'ffv1':
      return ['-c:v', 'ffv1', '-pix_fmt', channels === 1 ? 'gray' : 'bgr0', ...gop, ...threads];
    default:
      throw new Error(`unknown codec '${String(codec)}'; known: ${VIDEO_CODECS.join(', ')}`);
  }
}

/**
 * Encodes raw frames into a video file with ffmpeg (frames fed over stdin, one process).
 *
 * @example
 * await encodeRawVideo({ data, width: 64, height: 64, channels: 1, fps: 12 }, 'out/ball.mp4');
 * @throws if the frame bytes do not divide into frames, h264/vp8/vp9 get an odd size, or ffmpeg fails (naming the file).
 */
export async function encodeRawVideo(video: RawVideo, path: string, options: EncodeVideoOptions = {}): Promise<string> {
  const file = resolvePath(path);
  const { width, height, channels, fps } = video;
  const frameBytes = width * height * channels;
  if (!(frameBytes > 0) || video.data.length === 0 || video.data.length % frameBytes !== 0) {
    throw new Error(`${file}: ${video.data.length} bytes are not whole ${width}×${height}×${channels} frames`);
  }
  const codec = options.codec ?? 'h264';
  if (codec !== 'ffv1' && (width % 2 !== 0 || height % 2 !== 0)) {
    throw new Error(`${file}: ${codec} in yuv420p needs an even width and height; got ${width}×${height}`);
  }
  await mkdir(dirname(file), { recursive: true });
  const tools = options.tools ?? (await resolveFfmpeg(options.resolve));
  await runFfmpeg({
    tools,
    file,
    input: video.data,
    inputOptions: [
      '-hide_banner',
      '-nostats',
      '-loglevel',
      'level+error',
      '-f',
      'rawvideo',
      '-pix_fmt',
      channels === 1 ? 'gray' : 'rgb24',
      '-s',
      `${width}x${height}`,
      '-r',
      String(fps),
    ],
    outputOptions: codecOptions(codec, options, channels),
    output: file,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  return file;
}

/** ffmpeg's own synthetic sources (lavfi): a test pattern, a Mandelbrot zoom, Conway's game of life. */
export type LavfiSource = 'testsrc2' | 'mandelbrot' | 'life';

export interface LavfiVideoOptions extends EncodeVideoOptions {
  width?: number;
  height?: number;
  fps?: number;
  durationSeconds?: number;
  /** `life` only: the seed of the initial grid (default 0). */
  seed?: number;
}

/**
 * Writes a video from one of ffmpeg's synthetic sources (default 320×240, 30 frames/s, 10 s, h264),
 * e.g. the clips `bench/video-bench.ts` extracts frames from.
 *
 * @example
 * await writeLavfiVideo('testsrc2', 'bench/testsrc2.mp4', { gop: 250 });
 * @throws if ffmpeg fails, naming the file.
 */
export async function writeLavfiVideo(
  source: LavfiSource,
  path: string,
  options: LavfiVideoOptions = {},
): Promise<string> {
  const file = resolvePath(path);
  const width = options.width ?? 320;
  const height = options.height ?? 240;
  const fps = options.fps ?? 30;
  const duration = options.durationSeconds ?? 10;
  const size = `${width}x${height}`;
  const graph =
    source === 'testsrc2'
      ? `testsrc2=size=${size}:rate=${fps}:duration=${duration}`
      : source === 'mandelbrot'
        ? `mandelbrot=size=${size}:rate=${fps}`
        : source === 'life'
          ? `life=size=${size}:rate=${fps}:ratio=0.3:seed=${options.seed ?? 0}:mold=8:life_color=#ffffff:death_color=#603030`
          : undefined;
  if (graph === undefined)
    throw new Error(`unknown lavfi source '${String(source)}'; known: testsrc2, mandelbrot, life`);
  await mkdir(dirname(file), { recursive: true });
  const tools = options.tools ?? (await resolveFfmpeg(options.resolve));
  await runFfmpeg({
    tools,
    file,
    input: graph,
    inputOptions: ['-hide_banner', '-nostats', '-loglevel', 'level+error', '-f', 'lavfi'],
    outputOptions: ['-t', String(duration), ...codecOptions(options.codec ?? 'h264', options, 3)],
    output: file,
    timeoutMs: options.timeoutMs ?? 300_000,
  });
  return file;
}
