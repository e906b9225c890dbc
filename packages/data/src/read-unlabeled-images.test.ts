import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLabeledImages } from './read-labeled-images.js';
import { readUnlabeledImages } from './read-unlabeled-images.js';

const testImages = resolve(dirname(fileURLToPath(import.meta.url)), '../../augment/test-data');
let dir: string;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
  dir = mkdtempSync(join(tmpdir(), 'unlabeled-images-'));
  mkdirSync(join(dir, 'cat'), { recursive: true });
  mkdirSync(join(dir, 'ant'), { recursive: true });
  cpSync(join(testImages, 'images', 'gradient.png'), join(dir, 'cat', 'one.png'));
  cpSync(join(testImages, 'images', 'gradient.jpg'), join(dir, 'cat', 'two.jpg'));
  cpSync(join(testImages, 'images', 'nested', 'gray.png'), join(dir, 'ant', 'three.png'));
  cpSync(join(testImages, 'bad', 'empty.png'), join(dir, 'ant', 'empty.png'));
  writeFileSync(join(dir, 'notes.txt'), 'not an image');
  mkdirSync(join(dir, 'none'));
  cpSync(join(testImages, 'bad', 'empty.png'), join(dir, 'none', 'empty.png'));
});

describe('readUnlabeledImages', () => {
  it('reads every image under a folder, recursively, skipping unreadable files with the reason', async () => {
    const set = await readUnlabeledImages(join(dir, 'ant'), { size: [6, 8], channels: 3 });
    expect(set.images).toMatchObject({ count: 1, height: 6, width: 8, channels: 3 });
    expect(set.skipped).toEqual([{ path: join(dir, 'ant', 'empty.png'), reason: 'zero-byte file' }]);
    const all = await readUnlabeledImages(dir, { size: [6, 8], channels: 3 });
    expect(all.images.count).toBe(3);
    expect(all.images.images).toHaveLength(3 * 6 * 8 * 3);
    // The same pixels, in the same order, as the labeled reading of the folder.
    const labeled = await readLabeledImages(dir, { size: [6, 8], channels: 3 });
    expect(all.images.images).toEqual(labeled.images.images);
  });

  it('names the path and what is wrong with it', async () => {
    await expect(readUnlabeledImages(join(dir, 'missing'), { size: [4, 4], channels: 1 })).rejects.toThrow(
      `${join(dir, 'missing')}: does not exist`,
    );
    await expect(readUnlabeledImages(join(dir, 'notes.txt'), { size: [4, 4], channels: 1 })).rejects.toThrow(
      'expected a folder of images',
    );
    await expect(readUnlabeledImages(join(dir, 'none'), { size: [4, 4], channels: 1 })).rejects.toThrow(
      `${join(dir, 'none')}: no readable images (1 unreadable, e.g. ${join(dir, 'none', 'empty.png')}: zero-byte file)`,
    );
  });
});
