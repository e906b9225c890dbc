import { statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { loadIdxImages } from '@selfsup/data';
import { describe, expect, it } from 'vitest';
import { probeVideo } from '../probe-video.node.js';
import { temporaryFolder } from '../test-videos.js';
import { cachedBouncingItemVideos } from './cached-bouncing-item-videos.node.js';

describe('cachedBouncingItemVideos', () => {
  it('writes each split once per settings into a folder of its own, reuses it after, and rewrites what went missing', async () => {
    const [train, test] = await Promise.all([loadIdxImages({ split: 'train' }), loadIdxImages({ split: 'test' })]);
    const root = temporaryFolder('cache');
    const lines: string[] = [];
    const options = {
      splits: { train: { items: train, count: 3 }, test: { items: test, count: 2 } },
      frames: 6,
      frameSize: 40,
      codec: ['h264', 'vp9'] as const,
      seed: 1,
      log: (line: string) => lines.push(line),
    };
    const first = await cachedBouncingItemVideos(root, options);
    expect(first.reused).toBe(false);
    expect(first.dir).toBe(join(root, first.key));
    expect(first.key).toMatch(/^[0-9a-f]{12}$/);
    expect(lines).toEqual([`writing 3 + 2 videos (h264, vp9) with ffmpeg into ${first.dir}`]);
    const { train: trainVideos = [], test: testVideos = [] } = first.splits;
    expect(trainVideos.map((v) => v.file.slice(first.dir.length + 1).replace(/\d{5}/, 'N'))).toEqual([
      'train/item-N.mp4',
      'train/item-N.webm',
      'train/item-N.mp4',
    ]);
    // Distinct items in index order, each video labeled with its item's class.
    const items = trainVideos.map((v) => v.item);
    expect(items).toEqual([...new Set(items)].sort((a, b) => a - b));
    for (const v of trainVideos) expect(v.label).toBe(train.labels[v.item]);
    for (const v of testVideos) expect(v.label).toBe(test.labels[v.item]);
    expect(testVideos).toHaveLength(2);
    expect((await probeVideo(testVideos[1]?.file as string)).frameCount).toBe(6);

    const written = statSync(trainVideos[0]?.file as string).mtimeMs;
    const again = await cachedBouncingItemVideos(root, options);
    expect(again).toMatchObject({ dir: first.dir, key: first.key, splits: first.splits, reused: true });
    expect(statSync(trainVideos[0]?.file as string).mtimeMs).toBe(written);
    expect(lines[1]).toBe(`reusing the videos in ${first.dir} (3 + 2)`);

    // Other settings, other folder; the first stays as it was.
    const longer = await cachedBouncingItemVideos(root, { ...options, frames: 7 });
    expect(longer.key).not.toBe(first.key);
    expect(longer.reused).toBe(false);
    expect((await cachedBouncingItemVideos(root, options)).reused).toBe(true);

    unlinkSync(testVideos[0]?.file as string);
    const repaired = await cachedBouncingItemVideos(root, options);
    expect(repaired).toMatchObject({ key: first.key, reused: false, splits: first.splits });
    expect((await probeVideo(testVideos[0]?.file as string)).frameCount).toBe(6);
  });

  it('refuses a split that asks for more videos than it has items', async () => {
    const test = await loadIdxImages({ split: 'test' });
    await expect(
      cachedBouncingItemVideos(temporaryFolder('cache-count'), {
        splits: { test: { items: test, count: test.count + 1 } },
      }),
    ).rejects.toThrow(
      `cachedBouncingItemVideos: split 'test' asks for ${test.count + 1} videos of its ${test.count} items`,
    );
  });
});
