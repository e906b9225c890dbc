import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImageReadError, readImages } from '@selfsup/augment';
import { assertNoTensorLeak, createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { prefetched } from './dataset.js';
import { imageFolderDataset } from './image-folder-dataset.js';
import { TooFewExamplesError } from './too-few-examples-error.js';

const testImages = resolve(dirname(fileURLToPath(import.meta.url)), '../../augment/test-data');

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('imageFolderDataset', () => {
  it('streams shuffled batches per epoch, skips bad files, and prefetches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'folder-dataset-'));
    cpSync(join(testImages, 'images'), join(dir, 'images'), { recursive: true });
    cpSync(join(testImages, 'bad'), join(dir, 'bad'), { recursive: true });
    const dataset = await imageFolderDataset(dir, {
      batchSize: 3,
      size: [8, 8],
      channels: 1,
      onError: 'skip',
      shuffleSeed: 1,
    });
    expect(dataset.files).toBe(11);
    expect(dataset.size).toBe(3);
    const tensorsBefore = tf.memory().numTensors;
    const shapes: number[][] = [];
    const firstPixels: number[] = [];
    for await (const batch of prefetched(dataset, 2).iterate(0)) {
      shapes.push(batch.shape);
      firstPixels.push((batch as Tensor4D).dataSync()[0] as number);
      batch.dispose();
    }
    // 11 files, 3 unreadable: 8 images → two full batches of 3, the remainder dropped.
    expect(shapes).toEqual([
      [3, 8, 8, 1],
      [3, 8, 8, 1],
    ]);
    expect(dataset.report.skipped).toHaveLength(3);
    const again: number[] = [];
    for await (const batch of dataset.iterate(0)) {
      again.push(batch.dataSync()[0] as number);
      batch.dispose();
    }
    expect(again).toEqual(firstPixels);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    await expect(imageFolderDataset(join(dir, 'images'), { batchSize: 100, size: [8, 8] })).rejects.toThrow(
      /holds 8 image file\(s\), fewer than one batch of 100/,
    );
  });

  it('scans: decodes every file once, leaves the unreadable out, counts exactly and gives pixel statistics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'folder-scan-'));
    cpSync(join(testImages, 'images'), join(dir, 'images'), { recursive: true });
    cpSync(join(testImages, 'bad'), join(dir, 'bad'), { recursive: true });
    const options = { batchSize: 3, size: [8, 8] as [number, number], channels: 3 as const, onError: 'skip' as const };
    const seed = createRng(4).fork('data-order').state();
    const dataset = await imageFolderDataset(dir, { ...options, scan: true, shuffleSeed: seed });
    expect(dataset.files).toBe(8);
    expect(dataset.paths).toHaveLength(8);
    expect(dataset.paths.every((path) => path.startsWith(join(dir, 'images')))).toBe(true);
    expect(dataset.size).toBe(2);
    expect(dataset.report.skipped.map((file) => file.path.slice(dir.length + 1)).sort()).toEqual(
      expect.arrayContaining(['bad/empty.png', 'bad/not-an-image.png', 'bad/truncated.jpg']),
    );
    // The statistics are those of every readable image's pixels.
    const all = await readImages(dataset.paths, { size: [8, 8], channels: 3 });
    const [mean, std] = tf.tidy(() => {
      const moments = tf.moments(all, [0, 1, 2]);
      return [moments.mean.arraySync() as number[], tf.sqrt(moments.variance).arraySync() as number[]];
    });
    all.dispose();
    for (const [c, value] of (dataset.statistics?.mean ?? []).entries())
      expect(value).toBeCloseTo(mean[c] as number, 5);
    for (const [c, value] of (dataset.statistics?.std ?? []).entries()) expect(value).toBeCloseTo(std[c] as number, 5);
    expect(dataset.statistics?.mean).toHaveLength(3);
    // Epoch e reads the readable files in the order of the seed's fork for e.
    const order = createRng(seed)
      .fork('epoch-1')
      .shuffle([...dataset.paths]);
    const expected = await readImages(order.slice(0, 3), { size: [8, 8], channels: 3 });
    await assertNoTensorLeak('imageFolderDataset epoch', async () => {
      for await (const batch of dataset.iterate(1)) {
        expect(batch.shape).toEqual([3, 8, 8, 3]);
        expect(tf.tidy(() => tf.max(tf.abs(tf.sub(batch, expected))).dataSync()[0])).toBe(0);
        batch.dispose();
        break;
      }
    });
    expected.dispose();

    const limited = await imageFolderDataset(dir, { ...options, scan: true, limit: 4 });
    expect(limited.paths).toEqual(dataset.paths.slice(0, 4));
    const tooFew = await imageFolderDataset(dir, { ...options, batchSize: 9, scan: true }).catch((error) => error);
    expect(tooFew).toBeInstanceOf(TooFewExamplesError);
    expect(tooFew.message).toBe(
      `${dir} holds 8 readable images (3 unreadable files skipped), fewer than one batch of 9`,
    );
    expect(tooFew.skipped).toEqual(dataset.report.skipped);
    await expect(imageFolderDataset(dir, { ...options, onError: 'throw', scan: true })).rejects.toBeInstanceOf(
      ImageReadError,
    );
  });
});
