import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIdxImages } from '@selfsup/data';
import { describe, expect, it } from 'vitest';
import { probeVideo } from '../probe-video.node.js';
import { temporaryFolder } from '../test-videos.js';
import { writeBouncingItemVideos } from './bouncing-item-video.node.js';
import { writeLavfiVideo } from './encode-video.node.js';
import { renderBouncingItem } from './render-bouncing-item.js';

describe('synthetic videos', () => {
  it('renders an item that moves, spins, stays inside the frame and slows down; the same seed gives the same video', async () => {
    const train = await loadIdxImages({ split: 'train' });
    const item = { pixels: train.images.subarray(784, 1568), height: 28, width: 28 };
    const video = renderBouncingItem(item, { frames: 60, frameSize: 64, seed: 4 });
    expect(video.data.length).toBe(60 * 64 * 64);
    expect(
      Buffer.from(renderBouncingItem(item, { frames: 60, frameSize: 64, seed: 4 }).data).equals(
        Buffer.from(video.data),
      ),
    ).toBe(true);
    const speeds: number[] = [];
    for (let t = 0; t < 60; t++) {
      const [x, y] = [video.centers[2 * t] as number, video.centers[2 * t + 1] as number];
      const radius = (28 * (video.scales[t] as number)) / 2;
      expect(x).toBeGreaterThanOrEqual(radius - 1e-3);
      expect(x).toBeLessThanOrEqual(64 - radius + 1e-3);
      expect(y).toBeGreaterThanOrEqual(radius - 1e-3);
      // The item's brightness sits where its centre is.
      const frame = video.data.subarray(t * 4096, (t + 1) * 4096);
      let mass = 0;
      let cx = 0;
      for (let p = 0; p < 4096; p++) {
        mass += frame[p] as number;
        cx += (frame[p] as number) * ((p % 64) + 0.5);
      }
      expect(Math.abs(cx / mass - x)).toBeLessThan(4);
      if (t > 0)
        speeds.push(Math.hypot(x - (video.centers[2 * t - 2] as number), y - (video.centers[2 * t - 1] as number)));
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(speeds.slice(-15))).toBeLessThan(mean(speeds.slice(0, 15)));
    expect(Math.abs((video.angles[59] as number) - (video.angles[0] as number))).toBeGreaterThan(30);
    expect(() => renderBouncingItem(item, { frameSize: 20 })).toThrow('frame is too small');
  });

  it('writes one video per item (mp4 and webm alternating) with a manifest, each of the exact frame count', async () => {
    const train = await loadIdxImages({ split: 'train' });
    const dir = temporaryFolder('bouncing');
    const written = await writeBouncingItemVideos(train, dir, {
      items: [3, 8, 21],
      frames: 10,
      codec: ['h264', 'vp9'],
      seed: 1,
    });
    expect(written.map((v) => [v.file.slice(dir.length + 1), v.label, v.codec])).toEqual([
      ['item-00003.mp4', train.labels[3], 'h264'],
      ['item-00008.webm', train.labels[8], 'vp9'],
      ['item-00021.mp4', train.labels[21], 'h264'],
    ]);
    for (const video of written) expect((await probeVideo(video.file)).frameCount).toBe(10);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))[1]).toEqual({
      file: 'item-00008.webm',
      item: 8,
      label: train.labels[8],
      codec: 'vp9',
    });
    await expect(writeBouncingItemVideos(train, dir, { items: [6000] })).rejects.toThrow(
      'item 6000 is outside the 6000 images',
    );
  });

  it("writes ffmpeg's own sources: testsrc2, mandelbrot and life", async () => {
    const dir = temporaryFolder('lavfi');
    for (const source of ['testsrc2', 'mandelbrot', 'life'] as const) {
      const file = await writeLavfiVideo(source, join(dir, `${source}.mp4`), {
        width: 64,
        height: 48,
        fps: 10,
        durationSeconds: 1.5,
      });
      expect(await probeVideo(file)).toMatchObject({ frameCount: 15, width: 64, height: 48 });
    }
    await expect(writeLavfiVideo('plasma' as 'life', join(dir, 'x.mp4'))).rejects.toThrow(
      "unknown lavfi source 'plasma'",
    );
  });
});
