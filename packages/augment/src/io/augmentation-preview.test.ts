import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoTensorLeak, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { dinoPreset } from '../dino-preset.js';
import { simclrPreset } from '../simclr-preset.js';
import { GOOD_IMAGES } from '../test-helpers.js';
import { augmentationPreview } from './augmentation-preview.js';
import { readImages } from './read-image.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('augmentationPreview', () => {
  it('writes rows of inputs: the original, then K views, with gray separators', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preview-'));
    const images = await readImages(
      ['gradient.png', 'gradient.jpg', 'gradient.webp'].map((f) => join(GOOD_IMAGES, f)),
      { size: [16, 16] },
    );
    const out = join(dir, 'nested', 'preview.png');
    const written = await assertNoTensorLeak('augmentationPreview', () =>
      augmentationPreview(images, simclrPreset({ size: [16, 16] }), { views: 4, seed: 3, out, scale: 4 }),
    );
    const cell = 16 * 4 + 2;
    expect(written).toEqual({ path: out, rows: 3, columns: 5, width: 5 * cell + 2, height: 3 * cell + 2 });
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([written.width, written.height]);
    const at = (x: number, y: number) =>
      Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3));
    expect(at(0, 0)).toEqual([128, 128, 128]); // separator
    expect(at(cell, 10)).toEqual([128, 128, 128]); // between original and view 1
    // The original cell shows the input: top-left pixel of image 0 upscaled.
    const first = Array.from(
      (images.slice([0, 0, 0, 0], [1, 1, 1, 3]).dataSync() as Float32Array).map((v) => Math.round(v * 255)),
    );
    expect(at(2, 2)).toEqual(first);
    images.dispose();
  });

  it('accepts view makers: local crops are centered in their cells', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preview-'));
    const images = tf.ones([2, 20, 20, 3]) as Tensor4D;
    const written = await augmentationPreview(
      images,
      dinoPreset({ globalSize: [16, 16], localSize: [8, 8], localCrops: 2 }),
      { views: 1, out: join(dir, 'dino.png'), scale: 1 },
    );
    expect(written.columns).toBe(1 + 4);
    expect([written.width, written.height]).toEqual([5 * 22 + 2, 2 * 22 + 2]);
    images.dispose();
  });

  it('returns the grid as a PNG Blob without out (as in a browser)', async () => {
    const images = tf.ones([1, 8, 8, 3]) as Tensor4D;
    const preview = await assertNoTensorLeak('augmentationPreview', () =>
      augmentationPreview(images, simclrPreset({ size: [8, 8] }), { views: 2, scale: 1 }),
    );
    expect([preview.rows, preview.columns, preview.width, preview.height]).toEqual([1, 3, 3 * 10 + 2, 12]);
    const meta = await sharp(new Uint8Array(await preview.png.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', preview.width, preview.height]);
    images.dispose();
  });
});
