import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_IMAGES, GOOD_IMAGES, SPECIAL_IMAGES, values } from '../test-helpers.js';
import { ImageReadError, MAX_IMAGE_PIXELS } from './image-read-error.js';
import { decodeImage, readImage, readImages } from './read-image.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('readImage (sharp really decodes the committed files)', () => {
  for (const file of [
    'gradient.png',
    'gradient.jpg',
    'gradient.webp',
    'gradient.gif',
    'gradient.tiff',
    'nested/gradient.avif',
    '../special/rotated.jpg',
  ]) {
    it(`decodes ${file} into [16, 24, 3] in [0, 1] with the drawn gradient`, async () => {
      const image = await readImage(join(GOOD_IMAGES, file));
      expect(image.shape).toEqual([16, 24, 3]);
      const pixel = (y: number, x: number) => values(image.slice([y, x, 0], [1, 1, 3]));
      const [r0, g0, b0] = pixel(0, 0) as [number, number, number];
      const [r1, g1, b1] = pixel(15, 23) as [number, number, number];
      // Red grows to the right, green downwards, blue is bright on the left (JPEG/GIF are lossy).
      expect(r0).toBeLessThan(0.1);
      expect(g0).toBeLessThan(0.1);
      expect(b0).toBeGreaterThan(0.65);
      expect(r1).toBeGreaterThan(0.9);
      expect(g1).toBeGreaterThan(0.9);
      expect(b1).toBeLessThan(0.3);
      image.dispose();
    });
  }

  it('reads exact values from lossless files, grayscale, 16-bit, alpha and animated images', async () => {
    const png = await readImage(join(GOOD_IMAGES, 'gradient.png'));
    // Pixel (y = 5, x = 7): red 255·7/23, green 255·5/15, blue 200, as drawn.
    expect(values(png.slice([5, 7, 0], [1, 1, 3]))).toEqual([78 / 255, 85 / 255, 200 / 255].map((v) => Math.fround(v)));
    const gray = await readImage(join(GOOD_IMAGES, 'nested', 'gray.png'), { channels: 1 });
    expect(gray.shape).toEqual([16, 24, 1]);
    const deep = await readImage(join(SPECIAL_IMAGES, 'deep16.png'));
    expect(values(deep.slice([0, 0, 0], [1, 8, 1])).map((v) => Math.round(v * 7))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const alpha = await readImage(join(GOOD_IMAGES, 'nested', 'alpha.png'));
    expect(values(alpha.slice([0, 0, 0], [1, 1, 3]))).toEqual([0, 0, 0]); // transparent → background 0
    const onWhite = await readImage(join(GOOD_IMAGES, 'nested', 'alpha.png'), { background: 1 });
    expect(values(onWhite.slice([0, 0, 0], [1, 1, 3]))).toEqual([1, 1, 1]);
    const animated = await readImage(join(SPECIAL_IMAGES, 'animated.gif'));
    expect(animated.shape).toEqual([8, 8, 3]);
    expect(values(animated.slice([0, 0, 0], [1, 1, 3]))).toEqual([1, 0, 0]); // the first (red) frame
    tf.dispose([png, gray, deep, alpha, onWhite, animated]);
  });

  it('resizes with cover (center-crop) and contain (pad with the background)', async () => {
    const cover = await readImage(join(GOOD_IMAGES, 'gradient.png'), { size: [8, 8] });
    expect(cover.shape).toEqual([8, 8, 3]);
    // Resized, an image still says its own size (what the small-image warning reads).
    const decoded = await decodeImage(join(GOOD_IMAGES, 'gradient.png'), { size: [8, 8] });
    expect([decoded.height, decoded.width, decoded.sourceSize]).toEqual([8, 8, [16, 24]]);
    const contain = await readImage(join(GOOD_IMAGES, 'gradient.png'), { size: [8, 8], fit: 'contain', background: 1 });
    // The 3:2 image fills the width; rows above and below are padding.
    expect(values(contain.slice([0, 4, 0], [1, 1, 3]))).toEqual([1, 1, 1]);
    expect(values(contain.slice([4, 0, 2], [1, 1, 1]))[0]).toBeGreaterThan(0.6);
    await assertNoTensorLeak('readImage', () =>
      readImage(join(GOOD_IMAGES, 'gradient.webp'), { size: [4, 6], channels: 1 }),
    );
    tf.dispose([cover, contain]);
  });

  const cases: Array<[string, RegExp]> = [
    ['empty.png', /\(zero-byte file\)$/],
    ['not-an-image.png', /\(not an image: the content is not JPEG, PNG, WebP, GIF, TIFF or AVIF\)$/],
    ['truncated.jpg', /\(corrupt or truncated image data: JPEG header/],
    ['../corrupt/truncated.png', /\(corrupt or truncated image data/],
    ['image.bmp', /\(unsupported image format BMP \(supported: JPEG, PNG, WebP, GIF, TIFF, AVIF\)\)$/],
    ['vector.svg', /\(unsupported image format SVG/],
    ['missing.png', /\(file not found\)$/],
  ];
  for (const [file, reason] of cases) {
    it(`rejects ${file}, naming the file and the reason`, async () => {
      const path = join(BAD_IMAGES, file);
      const error = await readImage(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageReadError);
      expect((error as Error).message.startsWith(`readImage: ${path} is not a readable image (`)).toBe(true);
      expect((error as Error).message).toMatch(reason);
      expect((error as ImageReadError).path).toBe(path);
    });
  }

  it('says an image over the pixel limit is too large, with its size and the limit, not corrupt', async () => {
    // A real PNG whose header claims 20000 × 20000 (400 M pixels > 16383²): refused from the header alone.
    const png = Buffer.from(readFileSync(join(GOOD_IMAGES, 'gradient.png')));
    png.writeUInt32BE(20000, 16);
    png.writeUInt32BE(20000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    const error = await decodeImage(png).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageReadError);
    expect((error as ImageReadError).reason).toBe('too large (20000×20000, limit 268,402,689 pixels)');
    expect(MAX_IMAGE_PIXELS).toBe(16383 * 16383);
  });

  it('rejects a folder and bad options', async () => {
    await expect(readImage(GOOD_IMAGES)).rejects.toThrow(/is not a readable image \(a directory, not an image\)/);
    await expect(decodeImage(join(GOOD_IMAGES, 'gradient.png'), { channels: 2 as 1 })).rejects.toThrow(
      'readImage: channels must be 1 or 3; got 2',
    );
  });
});

describe('readImage sources', () => {
  it('reads a file URL, a Blob, a File, an ArrayBuffer and a Uint8Array as the path, naming each in errors', async () => {
    const path = join(GOOD_IMAGES, 'gradient.jpg');
    const bytes = new Uint8Array(readFileSync(path));
    const expected = (await decodeImage(path)).data;
    for (const source of [
      pathToFileURL(path),
      new Blob([bytes]),
      new File([bytes], 'gradient.jpg'),
      bytes.slice().buffer,
      bytes,
    ]) {
      expect((await decodeImage(source)).data).toEqual(expected);
    }
    await expect(decodeImage(new File([], 'empty.png'))).rejects.toThrow(
      'readImage: empty.png is not a readable image (zero-byte file)',
    );
    await expect(decodeImage(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(
      /^readImage: <bytes> is not a readable image \(not an image/,
    );
    await expect(decodeImage(pathToFileURL(join(GOOD_IMAGES, 'missing.png')))).rejects.toThrow(
      /missing.png is not a readable image \(file not found\)/,
    );
  });
});

describe('readImages', () => {
  it('stacks files in order, at one size, and names the first bad file', async () => {
    const paths = ['gradient.png', 'gradient.jpg', 'nested/gray.png', 'gradient.tiff'].map((f) => join(GOOD_IMAGES, f));
    const batch = await readImages(paths, { size: [12, 12], channels: 1, concurrency: 2 });
    expect(batch.shape).toEqual([4, 12, 12, 1]);
    const single = await readImage(paths[2] as string, { size: [12, 12], channels: 1 });
    expect(values(batch.slice(2, 1))).toEqual(values(single));
    await assertNoTensorLeak('readImages', () => readImages(paths, { size: [6, 6] }));
    await expect(readImages([paths[0] as string, join(BAD_IMAGES, 'empty.png')], { size: [4, 4] })).rejects.toThrow(
      /readImages: .*empty\.png is not a readable image \(zero-byte file\)/,
    );
    tf.dispose([batch, single]);
  });
});
