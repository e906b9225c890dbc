import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { pixelStatistics, TooFewExamplesError } from '@selfsup/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from './ffmpeg/resolve-ffmpeg.node.js';
import { writeLavfiVideo } from './synthetic/encode-video.node.js';
import { temporaryFolder } from './test-videos.js';
import { videoFolderDataset } from './video-folder-dataset.js';

let dir: string;
let file: string;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
  dir = temporaryFolder('dataset');
  file = await writeLavfiVideo('testsrc2', join(dir, 'a.mp4'), { width: 64, height: 48, fps: 12, durationSeconds: 2 });
  writeFileSync(join(dir, 'broken.webm'), 'not a video');
});

describe('videoFolderDataset', () => {
  const options = {
    sequences: { frames: 3, fps: 4, clipsPerVideo: 2 },
    size: { width: 24, height: 16 },
    channels: 3 as const,
    concurrency: 2,
    batchSize: 2,
    seed: 1,
  };

  it('decodes the frames it planned, at the rate asked, skips what it cannot read, and batches them', async () => {
    const data = await videoFolderDataset(dir, options);
    expect(data.files).toEqual([file]);
    expect(data.skipped).toEqual([expect.objectContaining({ file: join(dir, 'broken.webm'), reason: 'unreadable' })]);
    const { sequences } = data;
    expect([sequences.count, sequences.frames, sequences.height, sequences.width, sequences.channels]).toEqual([
      2, 3, 16, 24, 3,
    ]);
    // 24 frames at 12 fps, frames 3 apart (4 fps): the clips start at frames 0 and 17.
    expect(sequences.sources.map((source) => source.frameIndices)).toEqual([
      [0, 3, 6],
      [17, 20, 23],
    ]);
    for (const { timestamps } of sequences.sources) {
      expect((timestamps[1] as number) - (timestamps[0] as number)).toBeCloseTo(0.25, 3);
    }
    // testsrc2 moves: frames of a clip differ.
    const frameBytes = 16 * 24 * 3;
    const first = sequences.data.subarray(0, frameBytes);
    const second = sequences.data.subarray(frameBytes, 2 * frameBytes);
    expect(first.some((value, i) => value !== second[i])).toBe(true);
    expect(data.statistics).toEqual(pixelStatistics(sequences.data, 3));
    expect(data.size).toBe(1);
    await assertNoTensorLeak('videoFolderDataset batches', async () => {
      for await (const batch of data.iterate(0)) {
        expect(batch.shape).toEqual([2, 3, 16, 24, 3]);
        expect(tf.tidy(() => tf.max(batch).dataSync()[0]) as number).toBeLessThanOrEqual(1);
        batch.dispose();
      }
    });
  }, 60_000);

  it('throws the first bad file with onError: throw, and counts what it read when too few sequences make a batch', async () => {
    const tools = await resolveFfmpeg();
    await expect(videoFolderDataset(dir, { ...options, onError: 'throw', concurrency: 1, tools })).rejects.toThrow(
      /broken\.webm/,
    );
    const tooFew = await videoFolderDataset(dir, { ...options, batchSize: 3, tools }).catch((error) => error);
    expect(tooFew).toBeInstanceOf(TooFewExamplesError);
    expect(tooFew).toMatchObject({
      message: `${dir} holds 1 readable video (1 skipped) giving 2 sequences (2 per video), fewer than one batch of 3`,
      examples: 2,
      batchSize: 3,
      skipped: [{ path: join(dir, 'broken.webm'), reason: expect.stringMatching(/^unreadable: .*broken\.webm/) }],
    });
    await expect(videoFolderDataset(dir, { ...options, limit: 1, extensions: ['.webm'], tools })).rejects.toThrow(
      `${dir} holds 0 readable videos (1 skipped) giving 0 sequences (2 per video), fewer than one batch of 2`,
    );
    const empty = temporaryFolder('dataset-empty');
    await expect(videoFolderDataset(empty, options)).rejects.toThrow(`${empty}: no video files (.mp4`);
  }, 60_000);
});
