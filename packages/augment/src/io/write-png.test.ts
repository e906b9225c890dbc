import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoTensorLeak, createRng, initBackend, tf } from '@selfsup/backend';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../test-helpers.js';
import { readImage } from './read-image.js';
import { encodePng, writePng } from './write-png.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('writePng', () => {
  it('round-trips RGB and grayscale tensors within half a level, creating folders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'png-'));
    const rgb = createRng(1).uniformTensor([5, 7, 3]);
    await assertNoTensorLeak('writePng', () => writePng(rgb, join(dir, 'sub', 'rgb.png')));
    const back = await readImage(join(dir, 'sub', 'rgb.png'));
    expect(maxAbsDiff(back, rgb)).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    const gray = createRng(2).uniformTensor([1, 4, 6, 1]);
    await writePng(gray, join(dir, 'gray.png'));
    const meta = await sharp(join(dir, 'gray.png')).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([6, 4, 1]);
    await expect(writePng(tf.zeros([2, 3]), join(dir, 'x.png'))).rejects.toThrow(
      'writePng: expected an image [H, W, 1|3] or [1, H, W, 1|3]; got [2,3]',
    );
    tf.dispose([rgb, back, gray]);
  });

  it('encodes a PNG Blob (what a browser gets too)', async () => {
    const rgb = createRng(3).uniformTensor([4, 5, 3]);
    const png = await assertNoTensorLeak('encodePng', () => encodePng(rgb));
    expect(png.type).toBe('image/png');
    const back = await readImage(png);
    expect(maxAbsDiff(back, rgb)).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    tf.dispose([rgb, back]);
  });
});
