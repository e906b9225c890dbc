import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { sequenceBatch, sequenceBatches } from './sequence-batches.js';
import { writeLavfiVideo } from './synthetic/encode-video.node.js';
import { frameColours, temporaryFolder, writeColourCodedVideo } from './test-videos.js';
import { listVideoFiles } from './video-files.node.js';
import { loadVideoFolder, loadVideos } from './video-folder.js';

let dir: string;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
  dir = temporaryFolder('folder');
  await writeColourCodedVideo(join(dir, 'a-coded.mkv'), { frames: 20, fps: 10 });
  await writeLavfiVideo('testsrc2', join(dir, 'b-testsrc2.mp4'), {
    width: 96,
    height: 64,
    fps: 10,
    durationSeconds: 2,
  });
  mkdirSync(join(dir, 'nested'));
  await writeLavfiVideo('life', join(dir, 'nested', 'c-life.webm'), {
    codec: 'vp9',
    width: 48,
    height: 48,
    fps: 10,
    durationSeconds: 2,
  });
  // The bad ones: empty, not a video, truncated, too short for the request.
  writeFileSync(join(dir, 'd-empty.mp4'), '');
  writeFileSync(join(dir, 'e-notes.avi'), 'meeting notes\n'.repeat(50));
  const whole = readFileSync(join(dir, 'b-testsrc2.mp4'));
  writeFileSync(join(dir, 'f-cut.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
  await writeLavfiVideo('testsrc2', join(dir, 'g-short.mp4'), { width: 96, height: 64, fps: 10, durationSeconds: 0.3 });
  writeFileSync(join(dir, 'readme.txt'), 'not listed');
});

describe('video folders', () => {
  it('lists video files by extension, recursively, sorted', async () => {
    const files = await listVideoFiles(dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'a-coded.mkv',
      'b-testsrc2.mp4',
      'd-empty.mp4',
      'e-notes.avi',
      'f-cut.mp4',
      'g-short.mp4',
      'nested/c-life.webm',
    ]);
    expect(await listVideoFiles(dir, { recursive: false, extensions: ['.webm'] })).toEqual([]);
    await expect(listVideoFiles(join(dir, 'nope'))).rejects.toThrow(`${join(dir, 'nope')}: no such folder`);
  });

  it('loads clips from the good files and skips the bad ones with their reasons', async () => {
    const progress: number[] = [];
    const { sequences, files, skipped } = await loadVideoFolder(dir, {
      clips: { clipLength: 4, frameStride: 2, clips: 2 },
      size: 16,
      onProgress: (done) => progress.push(done),
    });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a-coded.mkv', 'b-testsrc2.mp4', 'nested/c-life.webm']);
    expect(sequences).toMatchObject({ count: 6, frames: 4, height: 16, width: 16, channels: 3 });
    expect(sequences.data.length).toBe(6 * 4 * 16 * 16 * 3);
    expect(sequences.sources[1]).toMatchObject({
      file: join(dir, 'a-coded.mkv'),
      clip: 1,
      frameIndices: [13, 15, 17, 19],
    });
    expect(skipped.map((s) => [s.file.slice(dir.length + 1), s.reason])).toEqual([
      ['d-empty.mp4', 'empty'],
      ['e-notes.avi', 'unreadable'],
      ['f-cut.mp4', 'truncated'],
      ['g-short.mp4', 'out-of-range'],
    ]);
    expect(skipped[3]?.message).toContain(
      'g-short.mp4: a clip of 4 frames with stride 2 spans 7 frames; the video has 3',
    );
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The pixels of the colour-coded file, clip 1, frame 2 = frame 17.
    const offset = (1 * 4 + 2) * 16 * 16 * 3;
    expect(Math.abs((sequences.data[offset] as number) - frameColours(17).left[0])).toBeLessThanOrEqual(1);
  });

  it("throws the first bad file's error with onError: 'throw', and when no file gives frames", async () => {
    await expect(
      loadVideoFolder(dir, { frames: { count: 2 }, size: 8, onError: 'throw', concurrency: 1 }),
    ).rejects.toThrow(`${join(dir, 'd-empty.mp4')}: the file is empty (0 bytes)`);
    await expect(loadVideos([join(dir, 'd-empty.mp4'), join(dir, 'e-notes.avi')])).rejects.toThrow(
      'loadVideos: none of the 2 file(s) gave frames; first problem:',
    );
    await expect(
      loadVideos([join(dir, 'a-coded.mkv'), join(dir, 'b-testsrc2.mp4')], { frames: { count: 2 } }),
    ).rejects.toThrow('set size to make them equal');
    const empty = temporaryFolder('folder-empty');
    copyFileSync(join(dir, 'readme.txt'), join(empty, 'readme.txt'));
    await expect(loadVideoFolder(empty)).rejects.toThrow(`${empty}: no video files (.mp4`);
  });

  it('batches sequences for training: seeded shuffles, [B, T, H, W, C] in [0, 1], no leaks', async () => {
    const { sequences } = await loadVideos([join(dir, 'a-coded.mkv')], {
      clips: { clipLength: 2, clipStride: 2 },
      size: 4,
      channels: 1,
    });
    expect(sequences.count).toBe(10);
    const data = sequenceBatches(sequences, { batchSize: 4, seed: 3 });
    expect(data.size).toBe(2);
    const firsts: number[][] = [];
    for (const epoch of [0, 0, 1]) {
      const batches: number[] = [];
      for await (const batch of data.iterate(epoch)) {
        expect(batch.shape).toEqual([4, 2, 4, 4, 1]);
        batches.push(...Array.from(tf.tidy(() => tf.max(batch).dataSync())));
        batch.dispose();
      }
      firsts.push(batches);
    }
    expect(firsts[0]).toEqual(firsts[1]);
    const one = await assertNoTensorLeak('sequenceBatch', () => sequenceBatch(sequences, [9]));
    expect(one.shape).toEqual([1, 2, 4, 4, 1]);
    expect(() => sequenceBatch(sequences, [10])).toThrow('sequenceBatch: index 10 is outside the 10 sequences');
    expect(() => sequenceBatches(sequences, { batchSize: 11, seed: 0 })).toThrow(
      'batchSize 11 is larger than the 10 sequences',
    );
  });
});
