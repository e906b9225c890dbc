import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { assertNoTensorLeak, initBackend } from '@selfsup/backend';
import { loadIdxImages } from '@selfsup/data';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytesToTensor,
  extractClipBytes,
  extractClips,
  extractFrameBytes,
  extractFrames,
  type FrameRequest,
} from './extract-frames.js';
import { type FfmpegTools, resolveFfmpeg } from './ffmpeg/resolve-ffmpeg.node.js';
import { probeVideo } from './probe-video.node.js';
import { encodeRawVideo, writeLavfiVideo } from './synthetic/encode-video.node.js';
import { renderBouncingItem } from './synthetic/render-bouncing-item.js';
import { frameColours, temporaryFolder, writeColourCodedVideo, writeDamagedVideo } from './test-videos.js';
import { VideoError } from './video-error.js';

let tools: FfmpegTools;
let dir: string;
let testsrc: string;
let coded: string;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
  tools = await resolveFfmpeg();
  dir = temporaryFolder('extract');
  // The peer benchmark's clip: 320×240, 30 frames/s, 10 s, h264.
  testsrc = await writeLavfiVideo('testsrc2', join(dir, 'testsrc2.mp4'), { gop: 250 });
  // 40 frames at 10 frames/s, each half a known colour, lossless.
  coded = await writeColourCodedVideo(join(dir, 'coded.mkv'), { frames: 40, fps: 10 });
});

/** The RGB pixel at (x, y) of frame k of bytes [count, height, width, 3]. */
function pixel(data: Uint8Array, shape: number[], k: number, x: number, y: number): number[] {
  const [, height, width, channels] = shape as [number, number, number, number];
  const offset = ((k * height + y) * width + x) * channels;
  return Array.from(data.subarray(offset, offset + channels));
}

/** Resampling rounds: a resized flat colour may be off by one. */
function expectColour(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, c) => {
    expect(Math.abs(value - (expected[c] as number))).toBeLessThanOrEqual(1);
  });
}

/** ffmpeg and ffprobe behind wrappers that append each command line to a log. */
function countingTools(label: string): { tools: FfmpegTools; calls: () => string[] } {
  const log = join(dir, `${label}.log`);
  writeFileSync(log, '');
  const wrap = (name: string, real: string) => {
    const path = join(dir, `${label}-${name}`);
    writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> '${log}'\nexec '${real}' "$@"\n`);
    chmodSync(path, 0o755);
    return path;
  };
  return {
    tools: {
      ffmpeg: { ...tools.ffmpeg, path: wrap('ffmpeg', tools.ffmpeg.path) },
      ffprobe: { ...tools.ffprobe, path: wrap('ffprobe', tools.ffprobe.path) },
    },
    calls: () => {
      const lines = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter((line) => line !== '');
      writeFileSync(log, '');
      // fluent-ffmpeg's one-time capability checks are not requests.
      return lines.filter((line) => !/^ffmpeg -(formats|encoders|codecs|filters)$/.test(line));
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<VideoError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VideoError);
    return error as VideoError;
  }
  throw new Error('expected the extraction to fail');
}

describe('extracting frames', () => {
  it('takes 16 evenly spaced frames at 112×112 with exact numbers and timestamps, byte for byte as the plain ffmpeg command', async () => {
    const { data, shape, indices, timestamps } = await extractFrameBytes(testsrc, { count: 16 }, { size: 112 });
    expect(shape).toEqual([16, 112, 112, 3]);
    expect(indices).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 159, 179, 199, 219, 239, 259, 279, 299]);
    indices.forEach((index, k) => {
      expect(timestamps[k]).toBeCloseTo(index / 30, 9);
    });
    const select = indices.map((i) => `eq(n\\,${i})`).join('+');
    // The plain command bench/video-bench.ts times beside ours (-vsync on ffmpeg before 5.1).
    const passthrough = /^([6-9]|\d\d)\.|^5\.[1-9]/.test(tools.ffmpeg.version) ? '-fps_mode' : '-vsync';
    const plain = execFileSync(
      tools.ffmpeg.path,
      [
        ...['-hide_banner', '-v', 'error', '-i', testsrc, '-vf', `select='${select}',scale=112:112`],
        ...[passthrough, 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
      ],
      { maxBuffer: 1 << 24 },
    );
    expect(Buffer.from(data).equals(plain)).toBe(true);
  });

  it('returns the right pixels: frame k of a colour-coded lossless video has frame k’s colours', async () => {
    const { data, shape, indices } = await extractFrameBytes(coded, { indices: [0, 5, 39, 5, 17] });
    expect(shape).toEqual([5, 48, 64, 3]);
    expect(indices).toEqual([0, 5, 39, 5, 17]);
    indices.forEach((index, k) => {
      expect(pixel(data, shape, k, 3, 3)).toEqual(frameColours(index).left);
      expect(pixel(data, shape, k, 60, 40)).toEqual(frameColours(index).right);
    });
    const small = await extractFrameBytes(coded, { count: 5 }, { size: { width: 32, height: 24 } });
    expect(small.indices).toEqual([0, 10, 20, 29, 39]);
    small.indices.forEach((index, k) => {
      expectColour(pixel(small.data, small.shape, k, 2, 12), frameColours(index).left);
      expectColour(pixel(small.data, small.shape, k, 29, 12), frameColours(index).right);
    });
    const gray = await extractFrameBytes(coded, { indices: [7] }, { channels: 1 });
    expect(gray.shape).toEqual([1, 48, 64, 1]);
    const [r, g, b] = frameColours(7).left;
    expect(Math.abs((gray.data[3 * 64 + 3] as number) - (0.299 * r + 0.587 * g + 0.114 * b))).toBeLessThan(3);
  });

  it('gives the frame shown at each timestamp, up to the end of the video', async () => {
    const { indices, timestamps, data, shape } = await extractFrameBytes(coded, {
      timestamps: [0, 0.5, 0.55, 0.5999, 3.9, 3.95, 4],
    });
    expect(indices).toEqual([0, 5, 5, 5, 39, 39, 39]);
    expect(timestamps.map((t) => Number(t.toFixed(9)))).toEqual([0, 0.5, 0.5, 0.5, 3.9, 3.9, 3.9]);
    indices.forEach((index, k) => {
      expect(pixel(data, shape, k, 3, 3)).toEqual(frameColours(index).left);
    });
    // Later times: decoding starts at a seek, and the answers are the same frames.
    const later = await extractFrameBytes(coded, { timestamps: [2.05, 2.5, 2.5999, 3.95, 4] });
    expect(later.indices).toEqual([20, 25, 25, 39, 39]);
    expect(later.timestamps.map((t) => Number(t.toFixed(9)))).toEqual([2, 2.5, 2.5, 3.9, 3.9]);
    later.indices.forEach((index, k) => {
      expect(pixel(later.data, later.shape, k, 60, 40)).toEqual(frameColours(index).right);
    });
  });

  it('extracts clips of strided frames, overlapping frames decoded once', async () => {
    const { clips, indices, timestamps } = await extractClips(coded, { clipLength: 4, frameStride: 3, clips: 3 });
    expect(clips.shape).toEqual([3, 4, 48, 64, 3]);
    expect(indices).toEqual([
      [0, 3, 6, 9],
      [15, 18, 21, 24],
      [30, 33, 36, 39],
    ]);
    expect(timestamps[1]?.map((t) => Number(t.toFixed(9)))).toEqual([1.5, 1.8, 2.1, 2.4]);
    const values = clips.arraySync() as number[][][][][];
    indices.forEach((clip, c) => {
      clip.forEach((index, f) => {
        expect(values[c]?.[f]?.[3]?.[3]?.map((v) => Math.round(v * 255))).toEqual(frameColours(index).left);
      });
    });
    clips.dispose();
    const overlapping = await extractClips(coded, { clipLength: 5, clipStride: 2 }, { size: 8 });
    expect(overlapping.clips.shape).toEqual([18, 5, 8, 8, 3]);
    expect(overlapping.indices[17]).toEqual([34, 35, 36, 37, 38]);
    overlapping.clips.dispose();
    expect((await failure(extractClips(coded, { clipLength: 41 }))).message).toBe(
      `${coded}: a clip of 41 frames with stride 1 spans 41 frames; the video has 40`,
    );
  });

  it('resizes by cropping (cover) or padding (fit)', async () => {
    const crop = await extractFrameBytes(coded, { indices: [9] }, { size: 24, resize: 'crop' });
    // 64×48 → 32×24 → centre 24 columns: columns 0–11 come from the left half, 12–23 from the right.
    expectColour(pixel(crop.data, crop.shape, 0, 10, 12), frameColours(9).left);
    expectColour(pixel(crop.data, crop.shape, 0, 13, 12), frameColours(9).right);
    const pad = await extractFrameBytes(coded, { indices: [9] }, { size: 24, resize: 'pad' });
    // 64×48 → 24×18, then 3 black rows above and below.
    expect(pixel(pad.data, pad.shape, 0, 2, 0)).toEqual([0, 0, 0]);
    expect(pixel(pad.data, pad.shape, 0, 2, 23)).toEqual([0, 0, 0]);
    expectColour(pixel(pad.data, pad.shape, 0, 2, 12), frameColours(9).left);
  });

  it('decodes a lossy h264 Fashion-MNIST video close to the frames it was made from, in order', async () => {
    const train = await loadIdxImages({ split: 'train' });
    const video = renderBouncingItem(
      { pixels: train.images.subarray(0, 784), height: 28, width: 28 },
      { frames: 12, seed: 1 },
    );
    const file = await encodeRawVideo(
      { data: video.data, width: 64, height: 64, channels: 1, fps: 12 },
      join(dir, 'item.mp4'),
    );
    const { data } = await extractFrameBytes(file, { count: 12 }, { channels: 1 });
    const frame = 64 * 64;
    const error = (a: number, b: number) => {
      let total = 0;
      for (let p = 0; p < frame; p++)
        total += Math.abs((data[a * frame + p] as number) - (video.data[b * frame + p] as number));
      return total / frame;
    };
    for (let t = 0; t < 12; t++) {
      expect(error(t, t)).toBeLessThan(3);
      if (t > 0) expect(error(t, t - 1)).toBeGreaterThan(2 * error(t, t));
    }
  });

  it('rejects times and frames outside the video, naming the file and the range', async () => {
    expect((await failure(extractFrameBytes(coded, { timestamps: [1, 4.5] }))).message).toBe(
      `${coded}: time 4.5 s is outside the video (0–4.000 s)`,
    );
    const negative = await failure(extractFrameBytes(coded, { timestamps: [-0.1] }));
    expect(negative.reason).toBe('out-of-range');
    expect((await failure(extractFrameBytes(coded, { indices: [40] }))).message).toBe(
      `${coded}: frame 40 is outside the video's 40 frames (0–39)`,
    );
    await expect(extractFrameBytes(coded, { count: 0 })).rejects.toThrow('count must be a positive integer; got 0');
  });

  it('reports truncated and corrupt files, and with strict: false returns what could be decoded', async () => {
    const faststart = await writeLavfiVideo('testsrc2', join(dir, 'faststart.mp4'), {
      width: 160,
      height: 120,
      durationSeconds: 3,
      faststart: true,
    });
    const bytes = readFileSync(faststart);
    writeFileSync(join(dir, 'cut.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const cut = await failure(extractFrameBytes(join(dir, 'cut.mp4'), { count: 8 }));
    expect(cut.reason).toBe('truncated');
    expect(cut.message).toContain('cut.mp4: the file is truncated');
    expect(cut.ffmpegMessage).toContain('partial file');
    // Near the end of the cut file: the seeked decode finds nothing, and decoding from the start says why.
    const late = await failure(extractFrameBytes(join(dir, 'cut.mp4'), { indices: [80, 89] }));
    expect(late.reason).toBe('truncated');
    const lenient = await failure(extractFrameBytes(join(dir, 'cut.mp4'), { count: 8 }, { strict: false }));
    expect(lenient.message).toMatch(
      /cut\.mp4: decoded only \d of the 8 frames requested \(the last requested is frame 89 of 90/,
    );

    // Every frame of this file fails its CRC, so the outcome does not hang on which frames a
    // decode touches or which ffmpeg build runs (random bytes in h264 may decode silently).
    const { file: corruptFile } = await writeDamagedVideo(join(dir, 'corrupt.mkv'), tools);
    const corrupt = await failure(extractFrameBytes(corruptFile, { count: 8 }));
    expect(corrupt.reason).toBe('corrupt');
    expect(corrupt.message).toContain('corrupt.mkv: the file is corrupt: ffmpeg reported errors while decoding');
    expect(corrupt.ffmpegMessage).toMatch(/CRC mismatch/);
    const lateCorrupt = await failure(extractFrameBytes(corruptFile, { indices: [85] }));
    expect(lateCorrupt.reason).toBe('corrupt');
    const concealed = await extractFrameBytes(corruptFile, { count: 8 }, { strict: false });
    expect(concealed.shape[0]).toBe(8);
    expect(concealed.warnings.length).toBeGreaterThan(0);

    writeFileSync(join(dir, 'empty.webm'), '');
    expect((await failure(extractFrames(join(dir, 'empty.webm'), { count: 2 }))).reason).toBe('empty');
    writeFileSync(join(dir, 'readme.mkv'), 'not a video\n'.repeat(100));
    expect((await failure(extractFrames(join(dir, 'readme.mkv'), { count: 2 }))).reason).toBe('unreadable');
  });

  it('kills ffprobe and ffmpeg when an input stalls (a pipe nobody writes to), and on abort', async () => {
    const fifo = join(dir, 'stalled.mp4');
    execFileSync('mkfifo', [fifo]);
    const probing = await failure(extractFrameBytes(fifo, { count: 2 }, { timeoutMs: 400 }));
    expect(probing.reason).toBe('timeout');
    expect(probing.message).toContain('stalled.mp4: ffprobe did not finish within 0.4 s and was killed');
    const metadata = { ...(await probeVideo(coded)), file: fifo };
    const decoding = await failure(extractFrameBytes(fifo, { count: 2 }, { timeoutMs: 400, metadata }));
    expect(decoding.reason).toBe('timeout');
    expect(decoding.message).toContain('stalled.mp4: ffmpeg did not finish within 0.4 s and was killed');
    const controller = new AbortController();
    const abortedRun = failure(extractFrameBytes(fifo, { count: 2 }, { metadata, signal: controller.signal }));
    // Abort once ffmpeg is reading the pipe: opening a FIFO for writing completes when a reader opens it.
    const writer = await open(fifo, 'w');
    controller.abort();
    const aborted = await abortedRun;
    await writer.close();
    expect(aborted.reason).toBe('aborted');
    // A killed run settles only after ffmpeg has exited: nothing may be left at this point.
    const left = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => l.includes(fifo));
    expect(left).toEqual([]);
  });

  it('runs one ffmpeg process per request, and probes a file once', async () => {
    const counting = countingTools('counting');
    const fresh = await writeLavfiVideo('testsrc2', join(dir, 'fresh.mp4'), {
      width: 64,
      height: 48,
      durationSeconds: 2,
    });
    await extractFrameBytes(fresh, { count: 16 }, { size: 32, tools: counting.tools });
    expect(counting.calls().map((c) => c.split(' ')[0])).toEqual(['ffprobe', 'ffmpeg']);
    await extractClips(fresh, { clipLength: 8, clips: 4 }, { size: 32, tools: counting.tools });
    expect(counting.calls().map((c) => c.split(' ')[0])).toEqual(['ffmpeg']);
    await extractFrameBytes(fresh, { indices: [40, 50] }, { size: 32, tools: counting.tools });
    expect(counting.calls().map((c) => c.split(' ')[0])).toEqual(['ffmpeg']);
  });

  it('takes a Blob or File as the browser does, through a temporary file: the same frames and metadata', async () => {
    const file = new File([readFileSync(coded)], 'coded.mkv');
    const request: FrameRequest = { indices: [0, 7, 39] };
    const fromFile = await extractFrameBytes(file, request, { tools });
    const fromPath = await extractFrameBytes(coded, request, { tools });
    expect(fromFile.data).toEqual(fromPath.data);
    expect(fromFile.timestamps).toEqual(fromPath.timestamps);
    expect(fromFile.metadata).toEqual({ ...fromPath.metadata, file: 'coded.mkv' });
    expect(await probeVideo(new Blob([readFileSync(coded)]), { tools })).toEqual({
      ...fromPath.metadata,
      file: 'blob',
    });
    const { indices, shape } = await extractClipBytes(file, { clipLength: 2, frameStride: 3, clips: 2 }, { tools });
    expect([indices, shape]).toEqual([
      [
        [0, 3],
        [36, 39],
      ],
      [2, 2, ...fromPath.shape.slice(1)],
    ]);
  });

  it('turns bytes into float32 tensors in [0, 1]: byte b becomes b / 255 exactly', async () => {
    const bytes = Uint8Array.from({ length: 512 }, (_, i) => (i * 131) % 256);
    await assertNoTensorLeak('bytesToTensor', () => bytesToTensor(bytes, [2, 16, 16]));
    const tensor = bytesToTensor(bytes, [2, 16, 16]);
    expect(tensor.dtype).toBe('float32');
    expect(tensor.shape).toEqual([2, 16, 16]);
    const values = tensor.dataSync();
    bytes.forEach((byte, i) => {
      expect(values[i]).toBe(Math.fround(byte / 255));
    });
    tensor.dispose();
  });

  it('leaks no tensors', async () => {
    await assertNoTensorLeak('extractFrames', () => extractFrames(coded, { count: 4 }, { size: 16 }));
    await assertNoTensorLeak('extractClips', () => extractClips(coded, { clipLength: 3, clips: 2 }, { size: 16 }));
    await assertNoTensorLeak('a failing extractFrames', () => extractFrames(coded, { indices: [99] }).catch(() => 0));
  });
});

describe('seeking', () => {
  /** The same request decoded with and without seeking: the same bytes, frame numbers and timestamps. */
  async function expectSameAsFromStart(file: string, request: FrameRequest, counting: FfmpegTools) {
    const seeked = await extractFrameBytes(file, request, { size: 32, tools: counting });
    const fromStart = await extractFrameBytes(file, request, { size: 32, seek: false });
    expect(seeked.shape).toEqual(fromStart.shape);
    expect(seeked.indices).toEqual(fromStart.indices);
    expect(seeked.timestamps).toEqual(fromStart.timestamps);
    expect(Buffer.from(seeked.data).equals(Buffer.from(fromStart.data))).toBe(true);
    return seeked;
  }

  it('gives the frames of decoding from the start, near the end of a 62 s video (h264 and VP9, keyframes 250 frames apart)', async () => {
    const counting = countingTools('seeking');
    for (const codec of ['h264', 'vp9'] as const) {
      const file = await writeLavfiVideo('testsrc2', join(dir, `long.${codec === 'h264' ? 'mp4' : 'webm'}`), {
        width: 64,
        height: 48,
        durationSeconds: 62,
        gop: 250,
        codec,
      });
      const metadata = await probeVideo(file);
      expect(metadata).toMatchObject({ frameCount: 1860, constantFrameRate: true });
      counting.calls();
      // A clip near the end; frames across a keyframe (1750); the last frame; times between frames and at the end.
      const clip = await expectSameAsFromStart(
        file,
        { indices: [1800, 1801, 1802, 1803, 1804, 1805, 1806, 1807] },
        counting.tools,
      );
      expect(clip.timestamps[0]).toBeCloseTo(60, 2);
      await expectSameAsFromStart(file, { indices: [1745, 1749, 1750, 1751, 1859, 1300] }, counting.tools);
      const times = await expectSameAsFromStart(file, { timestamps: [61.99, 58.51, 62, 45] }, counting.tools);
      expect(times.indices).toEqual([1859, 1755, 1859, 1350]);
      const calls = counting.calls().filter((line) => line.startsWith('ffmpeg'));
      // One seeked ffmpeg run per request (no fallback to decoding from the start).
      expect(calls).toHaveLength(3);
      expect(calls.map((line) => /-ss (\d+\.\d+) .*-i file:/.exec(line)?.[1])).toEqual([
        '59.933333',
        '43.266667',
        '44.850000',
      ]);
      const clips = await extractClipBytes(file, { clipLength: 4, frameStride: 2, starts: [1200, 1850] }, { size: 32 });
      const fromStart = await extractClipBytes(
        file,
        { clipLength: 4, frameStride: 2, starts: [1200, 1850] },
        { size: 32, seek: false },
      );
      expect(clips.indices).toEqual([
        [1200, 1202, 1204, 1206],
        [1850, 1852, 1854, 1856],
      ]);
      expect(Buffer.from(clips.data).equals(Buffer.from(fromStart.data))).toBe(true);
      expect(clips.timestamps).toEqual(fromStart.timestamps);
    }
  });

  it('decodes variable-frame-rate files from the start for frame numbers, and seeks for times', async () => {
    const file = join(dir, 'variable.mp4');
    // 120 frames at 30 frames/s with a 0.5 s pause after frame 59: frame k ≠ k / 30 s from there on.
    execFileSync(tools.ffmpeg.path, [
      ...['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=30:duration=4'],
      ...['-vf', "setpts='(N/30+gte(N,60)*0.5)/TB'", '-c:v', 'libx264', '-pix_fmt', 'yuv420p'],
      ...[/^([6-9]|\d\d)\.|^5\.[1-9]/.test(tools.ffmpeg.version) ? '-fps_mode' : '-vsync', 'vfr', file],
    ]);
    const metadata = await probeVideo(file);
    expect(metadata.frameCount).toBe(120);
    expect(metadata.constantFrameRate).toBe(false);
    const counting = countingTools('variable');
    const frames = await expectSameAsFromStart(file, { indices: [70, 71, 119] }, counting.tools);
    expect(frames.timestamps.map((t) => Number(t.toFixed(6)))).toEqual([2.833333, 2.866667, 4.466667]);
    // Frame 59 (1.967 s) is still shown at 2 s; frame 70 came at 2.833 s.
    const times = await expectSameAsFromStart(file, { timestamps: [2, 2.84] }, counting.tools);
    expect(times.timestamps.map((t) => Number(t.toFixed(6)))).toEqual([1.966667, 2.833333]);
    const seeks = counting
      .calls()
      .filter((line) => line.startsWith('ffmpeg'))
      .map((line) => line.includes(' -ss '));
    expect(seeks).toEqual([false, true]);
  });
});
