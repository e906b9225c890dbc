import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_IMAGES, CORRUPT_IMAGES, GOOD_IMAGES, SPECIAL_IMAGES, values } from '../test-helpers.js';
import { type ImageBatch, imageFolderBatches } from './image-folder-batches.js';
import { readImages } from './read-image.js';
import { MIN_IMAGE_SIDE, smallImageSizeWarning, smallSourceImagesWarning } from './small-images.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function mixedFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'folder-'));
  cpSync(GOOD_IMAGES, join(dir, 'good'), { recursive: true });
  cpSync(SPECIAL_IMAGES, join(dir, 'good', 'special'), { recursive: true });
  cpSync(BAD_IMAGES, join(dir, 'bad'), { recursive: true });
  cpSync(CORRUPT_IMAGES, join(dir, 'bad'), { recursive: true });
  return dir;
}

describe('imageFolderBatches', () => {
  it('streams sorted batches with their paths, the last one smaller; pixels as readImages', async () => {
    const folder = imageFolderBatches(GOOD_IMAGES, { batchSize: 3, size: [8, 8], concurrency: 3 });
    const batches = await collect(folder);
    expect(batches.map((b) => b.images.shape)).toEqual([
      [3, 8, 8, 3],
      [3, 8, 8, 3],
      [2, 8, 8, 3],
    ]);
    expect(batches[0]?.paths.map((p) => p.slice(GOOD_IMAGES.length + 1))).toEqual([
      'gradient.gif',
      'gradient.jpg',
      'gradient.png',
    ]);
    const direct = await readImages(batches[1]?.paths as string[], { size: [8, 8] });
    expect(values(batches[1]?.images as tf.Tensor)).toEqual(values(direct));
    expect(folder.report).toEqual({ read: 8, skipped: [], small: [] });
    tf.dispose([...batches.map((b) => b.images), direct]);
  });

  it("with onError: 'skip' leaves bad files out and reports how many and which, with the reason", async () => {
    const dir = mixedFolder();
    const folder = imageFolderBatches(dir, {
      batchSize: 5,
      size: [8, 8],
      channels: 1,
      onError: 'skip',
      concurrency: 2,
    });
    const batches = await collect(folder);
    expect(batches.map((b) => b.images.shape[0])).toEqual([5, 5, 1]);
    expect(folder.report.read).toBe(11);
    // The loader reads image extensions only: image.bmp and vector.svg are not listed. libvips'
    // detail text can be empty under concurrent decodes (see image-read-error.ts), so it is optional.
    expect(folder.report.skipped).toEqual([
      { path: join(dir, 'bad', 'empty.png'), reason: 'zero-byte file' },
      {
        path: join(dir, 'bad', 'not-an-image.png'),
        reason: 'not an image: the content is not JPEG, PNG, WebP, GIF, TIFF or AVIF',
      },
      {
        path: join(dir, 'bad', 'truncated.jpg'),
        reason: expect.stringMatching(/^corrupt or truncated image data(: .+)?$/),
      },
      {
        path: join(dir, 'bad', 'truncated.png'),
        reason: expect.stringMatching(/^corrupt or truncated image data(: .+)?$/),
      },
    ]);
    tf.dispose(batches.map((b) => b.images));
    const withBmp = imageFolderBatches(join(dir, 'bad'), {
      batchSize: 2,
      size: [4, 4],
      onError: 'skip',
      extensions: ['.bmp', '.svg'],
    });
    expect(await collect(withBmp)).toEqual([]);
    expect(withBmp.report.skipped.map((s) => s.reason)).toEqual([
      'unsupported image format BMP (supported: JPEG, PNG, WebP, GIF, TIFF, AVIF)',
      'unsupported image format SVG (supported: JPEG, PNG, WebP, GIF, TIFF, AVIF)',
    ]);
  });

  it('lists the images smaller than 8 px a side (their own size, before resizing); the warnings say the minimum and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'small-'));
    cpSync(join(GOOD_IMAGES, 'gradient.png'), join(dir, 'b-gradient.png'));
    const pixel = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    writeFileSync(join(dir, 'a-pixel.png'), pixel);
    const folder = imageFolderBatches(dir, { batchSize: 2, size: [32, 32] });
    for (const batch of await collect(folder)) batch.images.dispose();
    expect(folder.report.small).toEqual([{ path: join(dir, 'a-pixel.png'), height: 1, width: 1 }]);
    expect(MIN_IMAGE_SIDE).toBe(8);
    expect(smallSourceImagesWarning(folder.report.small, [32, 32])).toBe(
      `1 image is smaller than 8 px a side (${join(dir, 'a-pixel.png')} 1×1): upscaled to 32×32 they hold no more detail than their few pixels (the views’ random crops keep as little as 8 % of the area and the encoder’s stride-2 blocks shrink 8 px to 1, so there is next to nothing to learn from)`,
    );
    expect(smallSourceImagesWarning([], [32, 32])).toBeUndefined();
    expect(smallImageSizeWarning([1, 1])).toMatch(
      /^images of 1×1 px are below the 8 px a side training needs \(.*\); use a larger size \(e\.g\. --size 32\)$/,
    );
    expect(smallImageSizeWarning([8, 8])).toBeUndefined();
  });

  it("with onError: 'throw' (default) stops at the first bad file, naming it", async () => {
    const dir = mixedFolder();
    await expect(collect(imageFolderBatches(dir, { batchSize: 4, size: [8, 8] }))).rejects.toThrow(
      `imageFolderBatches: ${join(dir, 'bad', 'empty.png')} is not a readable image (zero-byte file)`,
    );
  });

  it('reads lazily: stopping early reads only what was needed, and nothing leaks', async () => {
    const folder = imageFolderBatches(GOOD_IMAGES, { batchSize: 2, size: [4, 4], concurrency: 1 });
    await assertNoTensorLeak('imageFolderBatches', async () => {
      for await (const batch of folder) {
        batch.images.dispose();
        break;
      }
    });
    expect(folder.report.read).toBe(2);
    const files = imageFolderBatches(GOOD_IMAGES, {
      batchSize: 8,
      size: [4, 4],
      files: [join(GOOD_IMAGES, 'gradient.png'), join(SPECIAL_IMAGES, 'animated.gif')],
    });
    const [only] = (await collect(files)) as [ImageBatch];
    expect(only.paths).toEqual([join(GOOD_IMAGES, 'gradient.png'), join(SPECIAL_IMAGES, 'animated.gif')]);
    only.images.dispose();
    expect(() => imageFolderBatches(GOOD_IMAGES, { batchSize: 0, size: [4, 4] })).toThrow(
      /batchSize must be a positive integer/,
    );
    expect(() => imageFolderBatches(GOOD_IMAGES, { batchSize: 2, size: [4, 4], onError: 'ignore' as 'skip' })).toThrow(
      /onError must be 'throw' or 'skip'/,
    );
  });
});
