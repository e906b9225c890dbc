// In Chromium: frames from real WebM videos (VP9 and VP8, written by ffmpeg in the global setup)
// through the page's <video> element, against ffmpeg's frames of the same requests in Node: the
// same shapes, frame numbers and timestamps, and pixels within a small mean difference (the two
// decoders convert YUV to RGB and scale a little differently).
import { assertNoTensorLeak, createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { extractClips, extractFrameBytes, extractFrames } from './extract-frames.js';
import { probeVideo } from './probe-video.browser.js';
import { sequenceBatch } from './sequence-batches.js';
import { arrowOfTimeTask } from './tasks/arrow-of-time/arrow-of-time-task.js';
import type { FfmpegFrames } from './test-browser-videos.js';
import { listVideoFiles } from './video-files.browser.js';
import { loadVideoFolder, loadVideos } from './video-folder.js';

const fixtures = inject('videoFixtures');

/** Mean |difference| allowed between Chromium's and ffmpeg's frames, in 0–255 levels. */
const NATURAL_SIZE_TOLERANCE = 3;
/**
 * Resized frames: the canvas's scaler is not ffmpeg's bicubic one; on these frames (sharp edges, text)
 * ffmpeg's own scalers differ by as much (bilinear against area: 7.6/255, bicubic against area: 4.3/255).
 */
const RESIZED_TOLERANCE = 10;

function videoFile(name: string): File {
  const bytes = Uint8Array.from(atob((fixtures.videos[name] as { webm: string }).webm), (c) => c.charCodeAt(0));
  return new File([bytes], name, { type: 'video/webm' });
}

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs((a[i] as number) - (b[i] as number));
  return total / a.length;
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe.each(Object.keys(fixtures.videos))('frames of %s in Chromium', (name) => {
  it('probes the frame count, rate and size ffprobe reports', async () => {
    const expected = fixtures.videos[name] as { frameCount: number; frameRate: number; width: number; height: number };
    const metadata = await probeVideo(videoFile(name));
    expect(metadata).toMatchObject({
      file: name,
      frameCount: expected.frameCount,
      width: expected.width,
      height: expected.height,
      constantFrameRate: true,
      startSeconds: 0,
    });
    expect(metadata.frameRate).toBeCloseTo(expected.frameRate, 6);
  });

  const requests = fixtures.frames.filter((frames) => frames.video === name);
  it.each(requests.map((frames): [string, FfmpegFrames] => [JSON.stringify([frames.request, frames.options]), frames]))(
    'extracts %s as ffmpeg does',
    async (_label, expected) => {
      const file = videoFile(name);
      const frames = await extractFrameBytes(file, expected.request, expected.options);
      expect(frames.shape).toEqual(expected.shape);
      expect(frames.indices).toEqual(expected.indices);
      expect(frames.timestamps.map((t) => Number(t.toFixed(3)))).toEqual(
        expected.timestamps.map((t) => Number(t.toFixed(3))),
      );
      const ffmpeg = Uint8Array.from(atob(expected.data), (c) => c.charCodeAt(0));
      const difference = meanAbsoluteDifference(frames.data, ffmpeg);
      const resized = expected.options.size !== undefined;
      console.log(
        `${name} ${JSON.stringify([expected.request, expected.options])}: mean |Δ| ${difference.toFixed(2)}/255`,
      );
      expect(difference).toBeLessThan(resized ? RESIZED_TOLERANCE : NATURAL_SIZE_TOLERANCE);
    },
  );
});

describe('video tensors and tasks in the browser', () => {
  const name = Object.keys(fixtures.videos)[0] as string;

  it('extracts frames and clips as float32 tensors in [0, 1], leaking nothing', async () => {
    const file = videoFile(name);
    await assertNoTensorLeak('extractFrames', async () => {
      const { frames, timestamps } = await extractFrames(file, { count: 3 }, { size: 32 });
      expect(frames.shape).toEqual([3, 32, 32, 3]);
      expect(frames.dtype).toBe('float32');
      expect(timestamps).toEqual([0, 1, 1.917]); // frames 0, 12 and 23 of 24
      const [low, high] = tf.tidy(() => [frames.min().dataSync()[0] as number, frames.max().dataSync()[0] as number]);
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(1);
      tf.dispose(frames);
    });
    const { clips, indices } = await extractClips(file, { clipLength: 4, frameStride: 2, clips: 2 }, { size: 24 });
    expect(clips.shape).toEqual([2, 4, 24, 24, 3]);
    expect(indices).toEqual([
      [0, 2, 4, 6],
      [17, 19, 21, 23],
    ]);
    clips.dispose();
  });

  it('reads a URL as it reads the File, and names a source that is not a video', async () => {
    const file = videoFile(name);
    const url = URL.createObjectURL(file);
    try {
      const fromUrl = await extractFrameBytes(url, { indices: [3, 20] }, { size: 16 });
      const fromFile = await extractFrameBytes(file, { indices: [3, 20] }, { size: 16 });
      expect(fromUrl.data).toEqual(fromFile.data);
      expect(fromUrl.timestamps).toEqual(fromFile.timestamps);
      expect(fromUrl.metadata.file).toBe(url);
    } finally {
      URL.revokeObjectURL(url);
    }
    await expect(extractFrameBytes(new File(['text'], 'notes.webm'), { count: 1 })).rejects.toMatchObject({
      name: 'VideoError',
      reason: 'unreadable',
      file: 'notes.webm',
    });
    await expect(extractFrameBytes(file, { indices: [24] })).rejects.toMatchObject({ reason: 'out-of-range' });
  });

  it('loads Files into frame sequences and builds an arrow-of-time batch from them', async () => {
    const files = Object.keys(fixtures.videos).map(videoFile);
    const {
      sequences,
      files: names,
      skipped,
    } = await loadVideos([...files, new File(['not a video'], 'bad.webm')], {
      frames: { count: 8 },
      size: 32,
      channels: 1,
    });
    expect(names).toEqual(Object.keys(fixtures.videos));
    expect(skipped.map(({ file, reason }) => [file, reason])).toEqual([['bad.webm', 'unreadable']]);
    expect([sequences.count, sequences.frames, sequences.height, sequences.width, sequences.channels]).toEqual([
      2, 8, 32, 32, 1,
    ]);
    const task = arrowOfTimeTask({ frames: 4, frameStride: 1 });
    await assertNoTensorLeak('sequenceBatch + makeBatch', () => {
      const videos = sequenceBatch(sequences, [0, 1]);
      const batch = task.makeBatch(videos, { rng: createRng(3), training: true });
      // Each clip's 4 frames in a row: [clips × 4, H, W, C], a forward/backward label per clip.
      expect(batch.targets.shape).toEqual([2]);
      expect(batch.inputs.shape).toEqual([8, 32, 32, 1]);
      tf.dispose([videos, batch.inputs, batch.targets, batch.frameIndices]);
    });
  });

  it('names the Node-only folder functions and the browser way', async () => {
    await expect(listVideoFiles('videos/')).rejects.toThrow(
      /listVideoFiles\('videos\/'\) .* are Node-only; in a browser pass the File objects .* to loadVideos\(files\)/,
    );
    await expect(loadVideoFolder('videos/')).rejects.toThrow(/Node-only/);
  });
});
