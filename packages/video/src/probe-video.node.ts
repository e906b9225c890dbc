import { execFile } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { type FfmpegTools, type ResolveFfmpegOptions, resolveFfmpeg } from './ffmpeg/resolve-ffmpeg.node.js';
import { VideoError } from './video-error.js';
import { checkVideoPath, withVideoFile } from './video-file.node.js';

/** What ffprobe says about a video's first video stream. */
export interface VideoMetadata {
  /** Absolute path. */
  file: string;
  sizeBytes: number;
  /** The container, as ffprobe names it (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`). */
  formatName: string;
  /** The video codec (`h264`, `vp9`, `ffv1`, …). */
  codec: string;
  /** Frame size as decoded and shown (a 90° rotation tag swaps width and height, as ffmpeg auto-rotates). */
  width: number;
  height: number;
  pixelFormat: string;
  /** Average frames per second. */
  frameRate: number;
  /**
   * Whether frame k is shown at `startSeconds + k / frameRate` (the stream's base and average
   * rates agree, and its duration holds exactly `frameCount` frames): such files are seeked into
   * by time when frames are asked for by number (see `extractFrameBytes`' `seek`).
   */
  constantFrameRate: boolean;
  /** Frames in the stream: the container's count, or the counted packets when the container has none (WebM). */
  frameCount: number;
  /** Where `frameCount` came from; in a browser, from the frames' timestamps (`timestamps`). */
  frameCountSource: 'container' | 'packets' | 'timestamps';
  /** Length of the video stream in seconds (the container's when the stream has none). */
  durationSeconds: number;
  /** Timestamp of the first frame; times given to and returned by selfsup are relative to it. */
  startSeconds: number;
  /** The stream's time base [numerator, denominator]. */
  timeBase: [number, number];
  /** Rotation in degrees from the display matrix or `rotate` tag (0 when none). */
  rotation: number;
  hasAudio: boolean;
}

export interface ProbeVideoOptions {
  /** ffprobe is killed after this time (default 30 000 ms). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Resolved binaries (default: {@link resolveFfmpeg}). */
  tools?: FfmpegTools;
  resolve?: ResolveFfmpegOptions;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  time_base?: string;
  start_time?: string;
  duration?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: Array<{ rotation?: number }>;
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string; start_time?: string };
}

function rational(text: string | undefined): number {
  if (text === undefined) return Number.NaN;
  const [num, den] = text.split('/').map(Number);
  if (den === undefined) return num as number;
  return den === 0 ? Number.NaN : (num as number) / den;
}

function runFfprobe(
  tools: FfmpegTools,
  file: string,
  args: string[],
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<ProbeOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      tools.ffprobe.path,
      ['-hide_banner', '-v', 'error', '-print_format', 'json', ...args, `file:${file}`],
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 << 20,
        windowsHide: true,
        ...(signal === undefined ? {} : { signal }),
      },
      (error, stdout, stderr) => {
        const message = stderr
          .split('\n')
          .map((line) => line.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\] /, '').trim())
          .filter((line) => line.length > 0)
          .slice(-2)
          .join('; ');
        if (error) {
          if (signal?.aborted) {
            reject(new VideoError(file, 'aborted', 'aborted; ffprobe was killed'));
          } else if ((error as { killed?: boolean }).killed) {
            reject(
              new VideoError(
                file,
                'timeout',
                `ffprobe did not finish within ${timeoutMs / 1000} s and was killed (a stalled input such as a pipe?)`,
              ),
            );
          } else if (/moov atom not found|End of file|truncat/i.test(message) && looksLikeVideoContainer(file)) {
            reject(new VideoError(file, 'truncated', 'the file is truncated or incomplete', message));
          } else {
            reject(new VideoError(file, 'unreadable', 'not a video file ffmpeg can read', message || error.message));
          }
          return;
        }
        try {
          resolve(JSON.parse(stdout) as ProbeOutput);
        } catch {
          reject(new VideoError(file, 'unreadable', 'ffprobe printed no readable description', message));
        }
      },
    );
  });
}

/**
 * Whether a file starts like a video container (MP4/MOV `ftyp`, Matroska/WebM EBML, RIFF/AVI,
 * MPEG-PS/TS, Ogg, FLV): an unreadable file that does is truncated rather than not a video.
 */
function looksLikeVideoContainer(file: string): boolean {
  let head: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      head = Buffer.alloc(12);
      readSync(fd, head, 0, 12, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  const ascii = head.toString('latin1');
  return (
    ascii.slice(4, 8) === 'ftyp' ||
    ascii.slice(4, 8) === 'moov' ||
    ascii.slice(4, 8) === 'mdat' ||
    head.readUInt32BE(0) === 0x1a45dfa3 ||
    ascii.startsWith('RIFF') ||
    ascii.startsWith('OggS') ||
    ascii.startsWith('FLV') ||
    head.readUInt32BE(0) === 0x000001ba ||
    head[0] === 0x47
  );
}

/**
 * Reads a video's metadata with ffprobe: one process (for `.webm`/`.mkv` it also counts the
 * packets, as Matroska stores no frame count; a file of another name without a count gets a
 * second, demux-only run).
 *
 * A `Blob`/`File` is written to a temporary file first. In a browser the page's `<video>` element
 * reads it instead (see `probe-video.browser.ts`).
 *
 * @example
 * const meta = await probeVideo('clip.mp4'); // { frameCount: 300, frameRate: 30, durationSeconds: 10, width: 320, … }
 * @throws a {@link VideoError} naming the file: `not-found`, `empty`, `unreadable` (not a video),
 *   `truncated`, `no-video-stream` (audio only), `still-image`, `corrupt` (no frames), `timeout`.
 */
export async function probeVideo(source: string | Blob, options: ProbeVideoOptions = {}): Promise<VideoMetadata> {
  if (typeof source !== 'string') {
    const metadata = await withVideoFile(source, (file) => probeVideo(file, options));
    return { ...metadata, file: (source as File).name ?? 'blob' };
  }
  const file = resolvePath(source);
  const sizeBytes = await checkVideoPath(file);
  const tools = options.tools ?? (await resolveFfmpeg(options.resolve));
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Matroska/WebM store no frame count: count the packets in the same run (demuxing only).
  const countPackets = /\.(webm|mkv|mka|mk3d)$/i.test(file);
  const probed = await runFfprobe(
    tools,
    file,
    ['-show_format', '-show_streams', ...(countPackets ? ['-count_packets'] : [])],
    timeoutMs,
    options.signal,
  );
  const streams = probed.streams ?? [];
  const stream = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (stream === undefined) {
    const kinds = streams.map((s) => (s.disposition?.attached_pic === 1 ? 'cover art' : (s.codec_type ?? '?')));
    throw new VideoError(
      file,
      'no-video-stream',
      `has no video stream (${kinds.length === 0 ? 'no streams' : `streams: ${kinds.join(', ')}`})`,
    );
  }
  const formatName = probed.format?.format_name ?? 'unknown';
  let frameCount = Number(stream.nb_frames);
  let frameCountSource: VideoMetadata['frameCountSource'] = 'container';
  if (!(frameCount > 0) && Number(stream.nb_read_packets) > 0) {
    frameCount = Number(stream.nb_read_packets);
    frameCountSource = 'packets';
  }
  if (!(frameCount > 0)) {
    const counted = await runFfprobe(
      tools,
      file,
      [
        '-count_packets',
        '-select_streams',
        `v:${streams.filter((s) => s.codec_type === 'video').indexOf(stream)}`,
        '-show_entries',
        'stream=nb_read_packets',
      ],
      timeoutMs,
      options.signal,
    );
    frameCount = Number(counted.streams?.[0]?.nb_read_packets ?? 0);
    frameCountSource = 'packets';
  }
  const stillImageFormat = /(^|,)(image2|[a-z0-9]+_pipe)(,|$)/.test(formatName);
  if (frameCount <= 1 && stillImageFormat) {
    throw new VideoError(file, 'still-image', `is a still image (${stream.codec_name ?? formatName}), not a video`);
  }
  if (!(frameCount > 0)) throw new VideoError(file, 'corrupt', 'the video stream holds no frames');
  let frameRate = rational(stream.avg_frame_rate);
  if (!(frameRate > 0)) frameRate = rational(stream.r_frame_rate);
  const startSeconds = Number(stream.start_time ?? probed.format?.start_time ?? 0) || 0;
  let durationSeconds = Number(stream.duration ?? probed.format?.duration);
  if (!(durationSeconds > 0)) durationSeconds = frameRate > 0 ? frameCount / frameRate : Number.NaN;
  if (!(frameRate > 0)) frameRate = durationSeconds > 0 ? frameCount / durationSeconds : Number.NaN;
  if (!(frameRate > 0) || !(durationSeconds > 0)) {
    throw new VideoError(file, 'corrupt', 'ffprobe reports neither a frame rate nor a duration');
  }
  const baseRate = rational(stream.r_frame_rate);
  const constantFrameRate =
    baseRate > 0 &&
    Math.abs(baseRate - frameRate) <= 1e-6 * frameRate &&
    Math.abs(frameCount - durationSeconds * frameRate) < 0.5;
  const rotation =
    Number(stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? stream.tags?.rotate ?? 0) || 0;
  const quarterTurn = Math.abs(rotation) % 180 === 90;
  const [tbNum, tbDen] = (stream.time_base ?? '1/1').split('/').map(Number);
  return {
    file,
    sizeBytes,
    formatName,
    codec: stream.codec_name ?? 'unknown',
    width: (quarterTurn ? stream.height : stream.width) ?? 0,
    height: (quarterTurn ? stream.width : stream.height) ?? 0,
    pixelFormat: stream.pix_fmt ?? 'unknown',
    frameRate,
    constantFrameRate,
    frameCount,
    frameCountSource,
    durationSeconds,
    startSeconds,
    timeBase: [tbNum ?? 1, tbDen ?? 1],
    rotation,
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
  };
}
