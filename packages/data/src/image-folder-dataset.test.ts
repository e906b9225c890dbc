import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { prefetched } from './dataset.js';
import { imageFolderDataset } from './image-folder-dataset.js';

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
});
