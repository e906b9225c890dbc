import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertNoTensorLeak, createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { simclrPreset } from '../presets.js';
import { augmentationPreview } from './augmentation-preview.js';
import { imageFolderBatches, listImageFiles } from './image-folder.js';
import { readImage, readImages } from './read-image.js';
import { writePng } from './write-png.js';

const testData = resolve(dirname(fileURLToPath(import.meta.url)), '../../test-data');
const images = join(testData, 'images');

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('reading images with sharp', () => {
  for (const file of [
    'gradient.png',
    'gradient.jpg',
    'gradient.webp',
    'gradient.gif',
    'gradient.tiff',
    'nested/gradient.avif',
  ]) {
    it(`decodes ${file} into [16, 24, 3] in [0, 1] with the drawn gradient`, async () => {
      const image = await readImage(join(images, file));
      expect(image.shape).toEqual([16, 24, 3]);
      const pixel = (y: number, x: number) => Array.from(image.slice([y, x, 0], [1, 1, 3]).dataSync());
      const [r0, g0, b0] = pixel(0, 0) as [number, number, number];
      const [r1, g1, b1] = pixel(15, 23) as [number, number, number];
      // JPEG and GIF are lossy: a tolerance of ~0.1.
      expect(r0).toBeLessThan(0.1);
      expect(g0).toBeLessThan(0.1);
      expect(b0).toBeGreaterThan(0.65);
      expect(r1).toBeGreaterThan(0.9);
      expect(g1).toBeGreaterThan(0.9);
      expect(b1).toBeLessThan(0.3);
      image.dispose();
    });
  }

  it('reads grayscale, drops alpha, resizes with cover and contain', async () => {
    const gray = await readImage(join(images, 'nested', 'gray.png'), { channels: 1 });
    expect(gray.shape).toEqual([16, 24, 1]);
    const alpha = await readImage(join(images, 'nested', 'alpha.png'));
    expect(alpha.shape).toEqual([8, 8, 3]);
    // Transparent pixels are flattened onto black.
    expect(alpha.slice([0, 0, 0], [1, 1, 3]).dataSync()[0]).toBe(0);
    const cover = await readImage(join(images, 'gradient.png'), { size: [8, 8] });
    const contain = await readImage(join(images, 'gradient.png'), { size: [8, 8], fit: 'contain', background: 1 });
    expect(cover.shape).toEqual([8, 8, 3]);
    // contain pads the 3:2 image above and below with white.
    expect(Array.from(contain.slice([0, 4, 0], [1, 1, 3]).dataSync())).toEqual([1, 1, 1]);
    const batch = await readImages([join(images, 'gradient.png'), join(images, 'gradient.jpg')], {
      size: [12, 12],
      channels: 1,
    });
    expect(batch.shape).toEqual([2, 12, 12, 1]);
    tf.dispose([gray, alpha, cover, contain, batch]);
  });

  it('names the file and the reason for bad input', async () => {
    const bad = join(testData, 'bad');
    await expect(readImage(join(bad, 'empty.png'))).rejects.toThrow(
      `readImage: ${join(bad, 'empty.png')} is not a readable image (zero-byte file)`,
    );
    await expect(readImage(join(bad, 'not-an-image.png'))).rejects.toThrow(
      /not-an-image\.png is not a readable image \(not a supported image format/,
    );
    await expect(readImage(join(bad, 'truncated.jpg'))).rejects.toThrow(
      /truncated\.jpg is not a readable image \(corrupt or truncated image data/,
    );
    await expect(readImage(join(bad, 'missing.png'))).rejects.toThrow(
      /missing\.png is not a readable image \(file not found\)/,
    );
  });
});

describe('image folders', () => {
  it('lists image files lazily in sorted order, recursively', async () => {
    const files = await collect(listImageFiles(images));
    expect(files.map((f) => f.slice(images.length + 1))).toEqual([
      'gradient.gif',
      'gradient.jpg',
      'gradient.png',
      'gradient.tiff',
      'gradient.webp',
      'nested/alpha.png',
      'nested/gradient.avif',
      'nested/gray.png',
    ]);
    expect(await collect(listImageFiles(images, { recursive: false }))).toHaveLength(5);
  });

  it('streams batches, and skips and reports bad files with onError: skip', async () => {
    const mixed = mkdtempSync(join(tmpdir(), 'folder-'));
    cpSync(images, join(mixed, 'good'), { recursive: true });
    cpSync(join(testData, 'bad'), join(mixed, 'bad'), { recursive: true });
    const folder = imageFolderBatches(mixed, { batchSize: 3, size: [8, 8], onError: 'skip', concurrency: 2 });
    const batches = await collect(folder);
    expect(batches.map((b) => b.images.shape[0])).toEqual([3, 3, 2]);
    expect(folder.report.read).toBe(8);
    expect(folder.report.skipped.map((s) => s.path.slice(mixed.length + 1)).sort()).toEqual([
      'bad/empty.png',
      'bad/not-an-image.png',
      'bad/truncated.jpg',
    ]);
    expect(folder.report.skipped[0]?.reason).toMatch(/is not a readable image/);
    tf.dispose(batches.map((b) => b.images));
    await expect(collect(imageFolderBatches(mixed, { batchSize: 4, size: [8, 8] }))).rejects.toThrow(
      /bad\/empty\.png is not a readable image \(zero-byte file\)/,
    );
    await expect(collect(imageFolderBatches(join(mixed, 'absent'), { batchSize: 4, size: [8, 8] }))).rejects.toThrow(
      /cannot read folder .*absent \(ENOENT\)/,
    );
  });
});

describe('writing PNGs and previews', () => {
  it('round-trips a tensor through a PNG file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'png-'));
    const image = createRng(1).uniformTensor([5, 7, 3]);
    await writePng(image, join(dir, 'sub', 'image.png'));
    const back = await readImage(join(dir, 'sub', 'image.png'));
    const error = tf.tidy(() => tf.max(tf.abs(tf.sub(back, image))).dataSync()[0] as number);
    expect(error).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    await expect(writePng(tf.zeros([2, 3]), join(dir, 'x.png'))).rejects.toThrow(/expected an image/);
    tf.dispose([image, back]);
  });

  it('writes a preview grid: rows of inputs, the original then K views', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preview-'));
    const batch = (await readImages([join(images, 'gradient.png'), join(images, 'gradient.jpg')], {
      size: [16, 16],
    })) as Tensor4D;
    const out = join(dir, 'preview.png');
    await assertNoTensorLeak('augmentationPreview', () =>
      augmentationPreview(batch, simclrPreset({ size: [16, 16] }), { views: 4, seed: 3, out, scale: 4 }),
    );
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([5 * (16 * 4 + 2) + 2, 2 * (16 * 4 + 2) + 2]);
    expect(readdirSync(dir)).toEqual(['preview.png']);
    batch.dispose();
  });
});
