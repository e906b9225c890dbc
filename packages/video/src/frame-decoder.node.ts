// Node: frames are decoded by ffmpeg (one process per request, raw bytes over stdout).
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { FrameBytes, FrameExtractionOptions, FrameRequest } from './extract-frames.js';
import type { FfmpegTools } from './ffmpeg/resolve-ffmpeg.node.js';
import { resolveFfmpeg } from './ffmpeg/resolve-ffmpeg.node.js';
import { errorLines, runFfmpeg, summarizeErrors } from './ffmpeg/run-ffmpeg.js';
import { checkRequest, outputSize } from './frame-request.js';
import { evenlySpacedIndices, selectFramesExpression } from './frame-selection.js';
import { probeVideo, type VideoMetadata } from './probe-video.node.js';
import { VideoError } from './video-error.js';
import { checkVideoPath, withVideoFile } from './video-file.node.js';

const metadataCache = new Map<string, VideoMetadata>();
const METADATA_CACHE_SIZE = 256;

async function metadataOf(
  file: string,
  options: FrameExtractionOptions,
  tools: FfmpegTools,
  timeoutMs: number,
): Promise<VideoMetadata> {
  if (options.metadata !== undefined) return options.metadata;
  const info = await stat(file).catch(() => undefined);
  // The probe is reused while the file is unchanged (same size and modification time).
  const key = info?.isFile() ? `${file}\0${info.size}\0${info.mtimeMs}` : undefined;
  const cached = key === undefined ? undefined : metadataCache.get(key);
  if (cached !== undefined) return cached;
  const metadata = await probeVideo(file, {
    tools,
    timeoutMs,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (key !== undefined) {
    if (metadataCache.size >= METADATA_CACHE_SIZE) metadataCache.delete(metadataCache.keys().next().value as string);
    metadataCache.set(key, metadata);
  }
  return metadata;
}

/**
 * A video's metadata (probed once per file and change, cached) and the options with the resolved
 * ffmpeg tools and that metadata, for the extractions that follow.
 * @throws as {@link extractFrameBytes}.
 */
export async function videoMetadata(
  source: string | Blob,
  options: FrameExtractionOptions = {},
): Promise<{ metadata: VideoMetadata; options: FrameExtractionOptions }> {
  const tools = options.tools ?? (await resolveFfmpeg(options.resolve));
  if (typeof source !== 'string') {
    const metadata =
      options.metadata ??
      (await withVideoFile(source, async (file) => ({
        ...(await probeVideo(file, { tools })),
        file: videoSourceName(source),
      })));
    return { metadata, options: { ...options, tools, metadata } };
  }
  const file = resolvePath(source);
  await checkVideoPath(file);
  const metadata = await metadataOf(file, options, tools, options.timeoutMs ?? 60_000);
  return { metadata, options: { ...options, tools, metadata } };
}

/** The options with the ffmpeg tools resolved once, for many extractions (a missing ffmpeg throws here). */
export async function prepareExtraction(options: FrameExtractionOptions): Promise<FrameExtractionOptions> {
  return { ...options, tools: options.tools ?? (await resolveFfmpeg(options.resolve)) };
}

/** The name a video goes by in errors and results: its absolute path, or a File's name. */
export function videoSourceName(source: string | Blob): string {
  return typeof source === 'string' ? resolvePath(source) : ((source as File).name ?? 'blob');
}

function resizeFilter(options: FrameExtractionOptions, size: { width: number; height: number }, natural: boolean) {
  const flags = options.interpolation === undefined ? '' : `:flags=${options.interpolation}`;
  if (natural && options.interpolation === undefined) return [];
  const { width: w, height: h } = size;
  switch (options.resize ?? 'stretch') {
    case 'stretch':
      return [`scale=${w}:${h}${flags}`];
    case 'crop':
      return [`scale=${w}:${h}:force_original_aspect_ratio=increase${flags}`, `crop=${w}:${h}`];
    case 'pad':
      return [
        `scale=${w}:${h}:force_original_aspect_ratio=decrease${flags}`,
        `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:black`,
      ];
    default:
      throw new Error(`resize must be stretch, crop or pad; got '${String(options.resize)}'`);
  }
}

/** `-fps_mode` exists from ffmpeg 5.1 (and deprecates `-vsync`, which older builds need). */
function passthroughOption(tools: FfmpegTools): string[] {
  const match = /^(\d+)\.(\d+)/.exec(tools.ffmpeg.version);
  const modern = match !== null && (Number(match[1]) > 5 || (Number(match[1]) === 5 && Number(match[2]) >= 1));
  return modern ? ['-fps_mode', 'passthrough'] : ['-vsync', 'passthrough'];
}

const SHOWINFO = /\[Parsed_showinfo_\d+ @ [^\]]+\] (?:\[info\] )?n:\s*\d+\s+pts:\s*(-?\d+)\s+pts_time:(\S+)/;

/** Timestamps (seconds, absolute) of the frames showinfo saw, in output order. */
function frameTimes(stderr: readonly string[], timeBase: [number, number]): number[] {
  const times: number[] = [];
  for (const line of stderr) {
    const match = SHOWINFO.exec(line);
    if (match === null) continue;
    const fromPts = (Number(match[1]) * timeBase[0]) / timeBase[1];
    const printed = Number(match[2]);
    // pts × time base is exact; pts_time is printed with 6 significant digits.
    times.push(Math.abs(fromPts - printed) < 1e-3 ? fromPts : printed);
  }
  return times;
}

/**
 * Extracts frames as bytes in one ffmpeg process: `select` passes exactly the wanted frames (by
 * number, or a small window before each timestamp), `showinfo` reports their timestamps, `scale`
 * resizes, and raw RGB (or gray) comes back over stdout into memory — no temporary files. The
 * video is probed once per file and change (cached).
 *
 * @example
 * const { data, shape, timestamps } = await extractFrameBytes('clip.mp4', { count: 16 }, { size: 112 });
 * // a Blob or File is written to a temporary file first
 * @throws a {@link VideoError} naming the file: `not-found`, `empty`, `unreadable`, `no-video-stream`,
 *   `still-image`, `out-of-range` (a frame or time outside the video), `truncated` (fewer frames
 *   decoded than the container lists), `corrupt` (decoding errors, with `strict`), `timeout`.
 */
export async function extractFrameBytes(
  source: string | Blob,
  request: FrameRequest,
  options: FrameExtractionOptions = {},
): Promise<FrameBytes> {
  if (typeof source !== 'string') {
    const { metadata, options: resolved } = await videoMetadata(source, options);
    return withVideoFile(source, (file) => extractFrameBytes(file, request, { ...resolved, metadata }));
  }
  const file = resolvePath(source);
  await checkVideoPath(file);
  const tools = options.tools ?? (await resolveFfmpeg(options.resolve));
  const metadata = await metadataOf(file, options, tools, options.timeoutMs ?? 60_000);
  const timeoutMs = options.timeoutMs ?? 60_000 + Math.ceil(1000 * metadata.durationSeconds);
  checkRequest(file, request, metadata);
  const size = outputSize(options, metadata);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new Error(`${file}: channels must be 1 or 3; got ${channels}`);
  const frameBytes = size.width * size.height * channels;
  const natural = size.width === metadata.width && size.height === metadata.height;
  const decode: DecodeSettings = { file, tools, metadata, options, size, channels, frameBytes, natural, timeoutMs };
  const seeking = options.seek ?? true;
  const seeked = seeking ? selectionPlan(request, metadata, true) : undefined;
  if (seeked?.seekSeconds !== undefined) {
    // A seeked decode gives the frames decoding from the start would, or it is not used: ffmpeg
    // errors, frames missing, or frames at other times than frame numbers imply fall back to that.
    const frames = await decodeFrames(decode, seeked).catch((error: unknown) => {
      if (error instanceof VideoError && (error.reason === 'timeout' || error.reason === 'aborted')) throw error;
      return 'inexact' as const;
    });
    if (frames !== 'inexact') return frames;
  }
  const frames = await decodeFrames(decode, selectionPlan(request, metadata, false));
  if (frames === 'inexact') throw new Error(`${file}: frames selected by number came out inexact`); // unreachable
  return frames;
}

/** Which frames one ffmpeg run passes, and where it starts decoding. */
interface SelectionPlan {
  /** The `select` filter's expression. */
  select: string;
  /** Frames (for frame numbers) or candidate frames (for times) ffmpeg is expected to pass. */
  wanted: number;
  /** Frame numbers asked for (in request order), or … */
  indices?: number[];
  /** … absolute times asked for (seconds, in request order). */
  absoluteTimes?: number[];
  /** `-ss` before `-i` (seconds from the start of the file), when seeking. */
  seekSeconds?: number;
  /** With frame numbers selected by time: the absolute time each sorted, distinct frame number must have. */
  expectedTimes?: Map<number, number>;
  /** Decoding can stop after this absolute time (timestamp requests: the last time asked for). */
  endSeconds?: number;
}

/** Decoding from earlier than this many seconds before the first wanted frame gains nothing. */
const SEEK_MARGIN_FRAMES = 2;

/**
 * How to select a request's frames: by frame number `n` counting from the first frame (no seek),
 * or by timestamp `t` after seeking to just before the first wanted frame. Timestamps are always
 * selected by time; frame numbers by time only in constant-frame-rate files, where frame k is at
 * start + k / fps (the windows are ± half a frame interval).
 */
function selectionPlan(request: FrameRequest, metadata: VideoMetadata, seek: boolean): SelectionPlan {
  const fps = metadata.frameRate;
  const start = metadata.startSeconds;
  const interval = 1 / fps;
  if ('timestamps' in request) {
    const absoluteTimes = request.timestamps.map((t) => start + t);
    const distinct = [...new Set(absoluteTimes)];
    // Candidates: the frames of the 2.5 frame intervals up to each time; the last one at or
    // before the time is the frame shown then (exact for constant frame rates).
    const window = 2.5 * interval;
    const select = distinct.map((t) => `between(t,${(t - window).toFixed(9)},${(t + 1e-6).toFixed(9)})`).join('+');
    const first = Math.min(...distinct) - start - window - SEEK_MARGIN_FRAMES * interval;
    return {
      select,
      wanted: 3 * distinct.length,
      absoluteTimes,
      endSeconds: Math.max(...distinct) + 1e-6,
      ...(seek && first > 0 ? { seekSeconds: first } : {}),
    };
  }
  const indices = 'count' in request ? evenlySpacedIndices(metadata.frameCount, request.count) : [...request.indices];
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const firstTime = (sorted[0] as number) * interval - SEEK_MARGIN_FRAMES * interval;
  if (!seek || !metadata.constantFrameRate || firstTime <= 0) {
    return { select: selectFramesExpression(indices), wanted: sorted.length, indices };
  }
  // Runs of consecutive frame numbers become one time window each.
  const terms: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    const low = start + ((sorted[i] as number) - 0.5) * interval;
    const high = start + ((sorted[j] as number) + 0.5) * interval;
    terms.push(`between(t,${low.toFixed(9)},${high.toFixed(9)})`);
    i = j + 1;
  }
  return {
    select: terms.join('+'),
    wanted: sorted.length,
    indices,
    seekSeconds: firstTime,
    expectedTimes: new Map(sorted.map((index) => [index, start + index * interval])),
  };
}

/** What every run of one request shares. */
interface DecodeSettings {
  file: string;
  tools: FfmpegTools;
  metadata: VideoMetadata;
  options: FrameExtractionOptions;
  size: { width: number; height: number };
  channels: 1 | 3;
  frameBytes: number;
  natural: boolean;
  timeoutMs: number;
}

/**
 * One ffmpeg run of a plan; `inexact` when a seeked run of frame numbers gave frames at other
 * times than the numbers imply, or not all of them (the caller then decodes from the start).
 */
async function decodeFrames(settings: DecodeSettings, plan: SelectionPlan): Promise<FrameBytes | 'inexact'> {
  const { file, tools, metadata, options, size, channels, frameBytes, natural, timeoutMs } = settings;
  const { select, wanted, indices, absoluteTimes } = plan;
  const start = metadata.startSeconds;
  const fps = metadata.frameRate;
  const seeking = plan.seekSeconds !== undefined;
  // Timestamp requests stop decoding after the last time asked for (trim ends the stream there).
  const end = plan.endSeconds === undefined ? [] : [`trim=end=${(plan.endSeconds + 1e-6).toFixed(9)}`];
  // showinfo reports each passing frame's timestamp (after scale: it checksums smaller frames).
  const filters = [...end, `select='${select}'`, ...resizeFilter(options, size, natural), 'showinfo'];
  const { data, stderr } = await runFfmpeg({
    tools,
    file,
    input: `file:${file}`,
    inputOptions: [
      '-hide_banner',
      '-nostats',
      '-nostdin',
      '-loglevel',
      'level+info',
      ...(options.threads === undefined ? [] : ['-threads', String(options.threads)]),
      ...(seeking ? ['-ss', (plan.seekSeconds as number).toFixed(6)] : []),
    ],
    videoFilter: filters.join(','),
    outputOptions: [
      // Timestamps stay the file's own (seeking would shift them to start at 0).
      ...(seeking ? ['-copyts'] : []),
      '-map',
      '0:v:0',
      ...passthroughOption(tools),
      // Stop decoding once the last wanted frame is out (frames after it are never read).
      ...(indices === undefined ? [] : ['-frames:v', String(wanted)]),
      '-an',
      '-sn',
      '-dn',
      '-f',
      'rawvideo',
      '-pix_fmt',
      channels === 3 ? 'rgb24' : 'gray',
    ],
    output: 'buffer',
    expectedOutputBytes: wanted * frameBytes,
    // Timestamps: a variable frame rate can put more frames than usual in the windows.
    maxOutputBytes: (indices === undefined ? Math.max(wanted, metadata.frameCount + 1) : wanted) * frameBytes,
    timeoutMs,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  }).catch((error: unknown) => {
    if (error instanceof VideoError && error.reason === 'ffmpeg-failed') {
      const text = `${error.message} ${error.ffmpegMessage ?? ''}`;
      if (/Invalid data found|moov atom not found/.test(text)) {
        throw new VideoError(file, 'corrupt', 'ffmpeg cannot decode the file', error.ffmpegMessage);
      }
    }
    throw error;
  });
  const problems = errorLines(stderr);
  const damage = /partial file|end of file|truncat/i.test(problems.join('\n')) ? 'truncated' : 'corrupt';
  const strict = options.strict ?? true;
  const times = frameTimes(stderr, metadata.timeBase);
  const delivered = data.length / frameBytes;
  if (!Number.isInteger(delivered) || delivered !== times.length) {
    throw new VideoError(
      file,
      'truncated',
      `ffmpeg returned ${data.length} bytes for ${times.length} frames of ${frameBytes} bytes: the output was cut off`,
      summarizeErrors(problems) || undefined,
    );
  }
  if (strict && problems.length > 0) {
    throw new VideoError(
      file,
      damage,
      `${damage === 'truncated' ? 'the file is truncated' : 'the file is corrupt'}: ffmpeg reported errors while decoding (strict: false accepts the frames it could conceal)`,
      summarizeErrors(problems),
    );
  }

  // Which delivered frame answers each request.
  let rows: number[];
  if (indices !== undefined) {
    const sorted = [...new Set(indices)].sort((a, b) => a - b);
    if (plan.expectedTimes !== undefined) {
      // Selected by time: exact only if every frame came, each at its number's time.
      const exact =
        delivered === wanted &&
        sorted.every(
          (index, row) => Math.abs((times[row] as number) - (plan.expectedTimes?.get(index) as number)) < 0.25 / fps,
        );
      if (!exact) return 'inexact';
    }
    if (delivered < wanted) {
      throw new VideoError(
        file,
        problems.length > 0 ? damage : 'truncated',
        `decoded only ${delivered} of the ${wanted} frames requested (the last requested is frame ${Math.max(...indices)} of ${metadata.frameCount} the container lists): the file is truncated or damaged`,
        summarizeErrors(problems) || undefined,
      );
    }
    const rowOf = new Map(sorted.map((index, row) => [index, row]));
    rows = indices.map((index) => rowOf.get(index) as number);
  } else {
    rows = (absoluteTimes as number[]).map((time) => {
      let row = -1;
      for (let i = 0; i < times.length; i++) if ((times[i] as number) <= time + 1e-6) row = i;
      if (row < 0) {
        throw new VideoError(
          file,
          delivered === 0 && problems.length > 0 ? 'corrupt' : 'truncated',
          `no frame was decoded at or shortly before ${(time - start).toFixed(6)} s (the container claims ${metadata.durationSeconds.toFixed(3)} s): the file is truncated, damaged, or has a gap there`,
          summarizeErrors(problems) || undefined,
        );
      }
      return row;
    });
  }
  // Frames in delivered order, each once (the usual case): ffmpeg's bytes are the answer.
  const inOrder = rows.length === delivered && rows.every((row, k) => row === k);
  const out = inOrder ? data : new Uint8Array(rows.length * frameBytes);
  if (!inOrder) {
    rows.forEach((row, k) => {
      out.set(data.subarray(row * frameBytes, (row + 1) * frameBytes), k * frameBytes);
    });
  }
  const timestamps = rows.map((row) => (times[row] as number) - start);
  return {
    data: out,
    shape: [rows.length, size.height, size.width, channels],
    indices: indices ?? timestamps.map((t) => Math.round(t * fps)),
    timestamps,
    metadata,
    warnings: strict ? [] : problems,
  };
}
