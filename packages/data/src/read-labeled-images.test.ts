import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImages } from '@selfsup/augment';
import { initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedFashionMnistDir } from './fashion-mnist.js';
import { isIdxDirectory } from './idx-directory.js';
import { readLabeledImages } from './read-labeled-images.js';

const testImages = resolve(dirname(fileURLToPath(import.meta.url)), '../../augment/test-data');
let dir: string;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
  dir = mkdtempSync(join(tmpdir(), 'labeled-images-'));
  mkdirSync(join(dir, 'classes', 'cat'), { recursive: true });
  mkdirSync(join(dir, 'classes', 'ant'), { recursive: true });
  cpSync(join(testImages, 'images', 'gradient.png'), join(dir, 'classes', 'cat', 'one.png'));
  cpSync(join(testImages, 'images', 'gradient.jpg'), join(dir, 'classes', 'cat', 'two.jpg'));
  cpSync(join(testImages, 'images', 'nested', 'gray.png'), join(dir, 'classes', 'ant', 'three.png'));
  cpSync(join(testImages, 'bad', 'empty.png'), join(dir, 'classes', 'ant', 'empty.png'));
  writeFileSync(join(dir, 'labels.csv'), 'path,label\nclasses/cat/one.png, dog\nclasses/ant/three.png,ant\n');
});

describe('readLabeledImages', () => {
  it('reads one sub-folder per class (sorted names are the labels), skipping unreadable files', async () => {
    const set = await readLabeledImages(join(dir, 'classes'), { size: [6, 8], channels: 3 });
    expect(set.classes).toEqual(['ant', 'cat']);
    expect(set.images).toMatchObject({ count: 3, height: 6, width: 8, channels: 3 });
    expect(Array.from(set.images.labels)).toEqual([0, 1, 1]);
    expect(set.skipped.map((file) => file.path)).toEqual([join(dir, 'classes', 'ant', 'empty.png')]);
    // The pixels are the image's, decoded at the size asked.
    const expected = await readImages([join(dir, 'classes', 'ant', 'three.png')], { size: [6, 8], channels: 3 });
    const bytes = tf.tidy(() => tf.round(tf.mul(expected, 255)).dataSync());
    expected.dispose();
    expect(Array.from(set.images.images.subarray(0, 6 * 8 * 3))).toEqual(Array.from(bytes));
    expect(set.test).toBeUndefined();
  });

  it('reads a CSV of path,label lines relative to it', async () => {
    const set = await readLabeledImages(join(dir, 'labels.csv'), { size: [4, 4], channels: 1 });
    expect(set.classes).toEqual(['ant', 'dog']);
    expect(Array.from(set.images.labels)).toEqual([1, 0]);
    expect(set.images.images).toHaveLength(2 * 4 * 4);
  });

  it('reads an IDX directory with its test split, at its own size only', async () => {
    const idx = embeddedFashionMnistDir();
    expect(isIdxDirectory(idx)).toBe(true);
    expect(isIdxDirectory(dir)).toBe(false);
    const set = await readLabeledImages(idx, { size: [28, 28], channels: 1 });
    expect(set.classes).toHaveLength(10);
    expect(set.images.count).toBe(6000);
    expect(set.test?.count).toBe(1000);
    await expect(readLabeledImages(idx, { size: [32, 32], channels: 3 })).rejects.toThrow(
      `${idx}: IDX images are 28×28×1; the encoder takes 32×32×3`,
    );
  });

  it('names the path and what is wrong with it', async () => {
    const options = { size: [4, 4] as [number, number], channels: 1 as const };
    await expect(readLabeledImages(join(dir, 'none'), options)).rejects.toThrow(`${join(dir, 'none')}: does not exist`);
    await expect(readLabeledImages(join(dir, 'classes', 'cat'), options)).rejects.toThrow(
      `${join(dir, 'classes', 'cat')}: expected one sub-folder per class (at least 2); found 0`,
    );
    writeFileSync(join(dir, 'notes.txt'), 'not labels');
    await expect(readLabeledImages(join(dir, 'notes.txt'), options)).rejects.toThrow(
      'expected a folder (one sub-folder per class), a .csv file or an IDX directory',
    );
    writeFileSync(join(dir, 'bad.csv'), 'classes/cat/one.png,cat\njust-a-path\n');
    await expect(readLabeledImages(join(dir, 'bad.csv'), options)).rejects.toThrow(
      `${join(dir, 'bad.csv')}:2: expected 'path,label', got 'just-a-path'`,
    );
    writeFileSync(join(dir, 'one-class.csv'), 'classes/cat/one.png,cat\n');
    await expect(readLabeledImages(join(dir, 'one-class.csv'), options)).rejects.toThrow(
      'needs at least 2 classes; found 1',
    );
    writeFileSync(join(dir, 'unreadable.csv'), 'classes/ant/empty.png,ant\nmissing.png,cat\n');
    await expect(readLabeledImages(join(dir, 'unreadable.csv'), options)).rejects.toThrow(
      `${join(dir, 'unreadable.csv')}: no readable images`,
    );
  });
});
