import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FfmpegTools, resolveFfmpeg } from './ffmpeg/resolve-ffmpeg.node.js';
import { probeVideo } from './probe-video.node.js';
import { writeLavfiVideo } from './synthetic/encode-video.node.js';
import { temporaryFolder } from './test-videos.js';
import { VideoError } from './video-error.js';

let tools: FfmpegTools;
let dir: string;

beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = temporaryFolder('probe');
});

const ffmpeg = (...args: string[]) =>
  execFileSync(tools.ffmpeg.path, ['-hide_banner', '-v', 'error', '-y', ...args], { cwd: dir });

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VideoError);
    return `${(error as VideoError).reason}: ${(error as Error).message}`;
  }
  throw new Error('expected the probe to fail');
}

describe('probeVideo', () => {
  it('reads duration, frame rate, exact frame count, size and codec (mp4: from the container)', async () => {
    const file = await writeLavfiVideo('testsrc2', join(dir, 'testsrc2.mp4'), { durationSeconds: 4, fps: 25 });
    const meta = await probeVideo(file);
    expect(meta).toMatchObject({
      file,
      codec: 'h264',
      width: 320,
      height: 240,
      pixelFormat: 'yuv420p',
      frameRate: 25,
      constantFrameRate: true,
      frameCount: 100,
      frameCountSource: 'container',
      durationSeconds: 4,
      startSeconds: 0,
      rotation: 0,
      hasAudio: false,
    });
    expect(meta.formatName).toContain('mp4');
  });

  it('counts the frames of WebM (VP9) and Matroska (FFV1) files, which store no count', async () => {
    const webm = await writeLavfiVideo('mandelbrot', join(dir, 'mandelbrot.webm'), {
      codec: 'vp9',
      width: 96,
      height: 64,
      fps: 15,
      durationSeconds: 2,
    });
    expect(await probeVideo(webm)).toMatchObject({
      codec: 'vp9',
      frameCount: 30,
      frameCountSource: 'packets',
      frameRate: 15,
      constantFrameRate: true,
    });
    // Named like no Matroska file: a second, demux-only ffprobe run counts the packets.
    copyFileSync(webm, join(dir, 'mandelbrot.bin'));
    expect(await probeVideo(join(dir, 'mandelbrot.bin'))).toMatchObject({
      frameCount: 30,
      frameCountSource: 'packets',
    });
    const mkv = await writeLavfiVideo('life', join(dir, 'life.mkv'), {
      codec: 'ffv1',
      width: 40,
      height: 30,
      fps: 10,
      durationSeconds: 3,
    });
    expect(await probeVideo(mkv)).toMatchObject({ codec: 'ffv1', frameCount: 30, width: 40, height: 30 });
  });

  it('names the file and the reason for files that are not videos', async () => {
    expect(await reasonOf(probeVideo(join(dir, 'missing.mp4')))).toBe(
      `not-found: ${join(dir, 'missing.mp4')}: no such file`,
    );
    writeFileSync(join(dir, 'empty.mp4'), '');
    expect(await reasonOf(probeVideo(join(dir, 'empty.mp4')))).toBe(
      `empty: ${join(dir, 'empty.mp4')}: the file is empty (0 bytes)`,
    );
    mkdirSync(join(dir, 'folder.mp4'));
    expect(await reasonOf(probeVideo(join(dir, 'folder.mp4')))).toMatch(/^not-a-file: .*folder\.mp4: is a directory/);
    writeFileSync(join(dir, 'notes.mp4'), 'these are notes, not a video\n'.repeat(40));
    expect(await reasonOf(probeVideo(join(dir, 'notes.mp4')))).toMatch(
      /^unreadable: .*notes\.mp4: not a video file ffmpeg can read \(ffmpeg: .*Invalid data found when processing input/,
    );
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', 'tone.m4a');
    expect(await reasonOf(probeVideo(join(dir, 'tone.m4a')))).toMatch(
      /^no-video-stream: .*tone\.m4a: has no video stream \(streams: audio\)/,
    );
    ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=64x48', '-frames:v', '1', 'still.png');
    expect(await reasonOf(probeVideo(join(dir, 'still.png')))).toMatch(
      /^still-image: .*still\.png: is a still image \(png\), not a video/,
    );
  });

  it('reports a truncated mp4 (index at the end, cut off) as truncated', async () => {
    const whole = await writeLavfiVideo('testsrc2', join(dir, 'whole.mp4'), {
      width: 96,
      height: 64,
      durationSeconds: 2,
    });
    const bytes = readFileSync(whole);
    writeFileSync(join(dir, 'cut.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect(await reasonOf(probeVideo(join(dir, 'cut.mp4')))).toMatch(
      /^truncated: .*cut\.mp4: the file is truncated or incomplete \(ffmpeg: .*moov atom not found/,
    );
  });
});
