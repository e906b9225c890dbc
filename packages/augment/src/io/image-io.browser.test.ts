import { assertNoTensorLeak, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { simclrPreset } from '../simclr-preset.js';
import { augmentationPreview } from './augmentation-preview.js';
import { imageFolderBatches } from './image-folder-batches.js';
import { ImageReadError } from './image-read-error.js';
import { listImageFiles } from './list-image-files.js';
import { decodeImage, readImage, readImages } from './read-image.js';
import { encodePng, writePng } from './write-png.js';

const FILES: Record<string, URL> = {
  'gradient.png': new URL('../../test-data/images/gradient.png', import.meta.url),
  'gradient.jpg': new URL('../../test-data/images/gradient.jpg', import.meta.url),
  'gradient.gif': new URL('../../test-data/images/gradient.gif', import.meta.url),
  'gradient.tiff': new URL('../../test-data/images/gradient.tiff', import.meta.url),
  'nested/gray.png': new URL('../../test-data/images/nested/gray.png', import.meta.url),
  'bad/image.bmp': new URL('../../test-data/bad/image.bmp', import.meta.url),
  'bad/not-an-image.png': new URL('../../test-data/bad/not-an-image.png', import.meta.url),
  'bad/truncated.jpg': new URL('../../test-data/bad/truncated.jpg', import.meta.url),
  'corrupt/truncated.png': new URL('../../test-data/corrupt/truncated.png', import.meta.url),
};
const url = (name: string) => FILES[name] as URL;
const fileOf = async (name: string) =>
  new File([await (await fetch(url(name))).blob()], name.split('/').pop() as string);

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe('image IO in a browser', () => {
  it('reads a File, a Blob, bytes and a URL alike; sizes with cover and contain; grayscale', async () => {
    const file = await fileOf('gradient.png');
    const fromFile = await decodeImage(file);
    const fromBytes = await decodeImage(await file.arrayBuffer());
    const fromUrl = await decodeImage(url('gradient.png'));
    expect([fromFile.height, fromFile.width, fromFile.channels]).toEqual([16, 24, 3]);
    expect(fromBytes.data).toEqual(fromFile.data);
    expect(fromUrl.data).toEqual(fromFile.data);
    // Pixel (y = 5, x = 7): red 255·7/23, green 255·5/15, blue 200, as drawn.
    expect(Array.from(fromFile.data.subarray((5 * 24 + 7) * 3, (5 * 24 + 7) * 3 + 3))).toEqual([78, 85, 200]);
    await assertNoTensorLeak('readImage', async () => {
      const cover = await readImage(file, { size: [8, 8] });
      expect(cover.shape).toEqual([8, 8, 3]);
      const contain = await readImage(file, { size: [8, 8], fit: 'contain', background: 1 });
      // 24×16 fits 8 wide as 8×5: the padded rows above and below are the white background.
      expect(tf.tidy(() => Array.from(contain.slice([0, 0, 0], [1, 1, 3]).dataSync()))).toEqual([1, 1, 1]);
      return [cover, contain];
    });
    const gray = await decodeImage(await fileOf('nested/gray.png'), { channels: 1 });
    expect(gray.channels).toBe(1);
    expect(gray.data.length).toBe(16 * 24);
    const gif = await decodeImage(url('gradient.gif'));
    expect([gif.height, gif.width]).toEqual([16, 24]);
    // Resized, an image still says its own size (what the small-image warning reads).
    const resized = await decodeImage(file, { size: [8, 8] });
    expect([resized.height, resized.width, resized.sourceSize]).toEqual([8, 8, [16, 24]]);
  });

  it('stacks Files into a batch without leaking', async () => {
    const files = await Promise.all(['gradient.png', 'gradient.jpg'].map(fileOf));
    const batch = await assertNoTensorLeak('readImages', () => readImages(files, { size: [8, 12] }));
    expect(batch.shape).toEqual([2, 8, 12, 3]);
  });

  it('names the reason a source is unreadable, and says paths are Node-only', async () => {
    const reasonOf = async (source: Parameters<typeof decodeImage>[0]) => {
      try {
        await decodeImage(source);
      } catch (error) {
        return error instanceof ImageReadError ? error.reason : (error as Error).message;
      }
      return 'decoded';
    };
    await expect(decodeImage('photos/cat.jpg')).rejects.toThrow(
      /readImage: 'photos\/cat.jpg' is a file path, and reading a path is Node-only; in a browser pass a File/,
    );
    expect(await reasonOf(new Uint8Array())).toBe('zero-byte file');
    expect(await reasonOf(url('bad/not-an-image.png'))).toMatch(/^not an image/);
    expect(await reasonOf(url('bad/image.bmp'))).toBe(
      'unsupported image format BMP (supported: JPEG, PNG, GIF, WebP, AVIF in a browser)',
    );
    expect(await reasonOf(url('gradient.tiff'))).toMatch(/^unsupported image format TIFF/);
    expect(await reasonOf(url('bad/truncated.jpg'))).toMatch(/^corrupt or truncated image data/);
    expect(await reasonOf(new URL('../../test-data/images/missing.png', url('gradient.png')))).toBe('file not found');
    const truncatedPng = await reasonOf(url('corrupt/truncated.png'));
    // Chromium decodes what a truncated PNG holds (rows it lacks stay blank); sharp rejects it.
    expect(['decoded', 'corrupt or truncated image data']).toContain(truncatedPng.split(':')[0]);
    // A PNG whose header claims 20000 × 20000: refused before decoding, with its size.
    const huge = new Uint8Array(await (await fetch(url('gradient.png'))).arrayBuffer());
    new DataView(huge.buffer).setUint32(16, 20000);
    new DataView(huge.buffer).setUint32(20, 20000);
    expect(await reasonOf(huge)).toBe('too large (20000×20000, limit 268,402,689 pixels)');
  });

  it('lists and batches a FileSystemDirectoryHandle (the origin private file system) in sorted order', async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(`images-${Date.now()}`, { create: true });
    const put = async (folder: FileSystemDirectoryHandle, name: string, source: string) => {
      const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
      await writable.write(await (await fetch(url(source))).blob());
      await writable.close();
    };
    const nested = await dir.getDirectoryHandle('nested', { create: true });
    await put(dir, 'b.jpg', 'gradient.jpg');
    await put(dir, 'a.png', 'gradient.png');
    await put(dir, 'notes.txt', 'gradient.png');
    await put(nested, 'c.png', 'nested/gray.png');
    await put(nested, 'd.png', 'bad/not-an-image.png');
    const names: string[] = [];
    for await (const file of listImageFiles(dir)) names.push(file.name);
    expect(names).toEqual(['a.png', 'b.jpg', 'c.png', 'd.png']);
    const folder = imageFolderBatches(dir, { batchSize: 2, size: [8, 8], onError: 'skip' });
    const seen: string[][] = [];
    await assertNoTensorLeak('imageFolderBatches', async () => {
      for await (const { images, paths } of folder) {
        seen.push(paths);
        images.dispose();
      }
    });
    expect(seen).toEqual([['a.png', 'b.jpg'], ['nested/c.png']]);
    expect(folder.report.skipped).toEqual([{ path: 'nested/d.png', reason: expect.stringMatching(/^not an image/) }]);
    await expect(listImageFiles('photos/').next()).rejects.toThrow(
      /listImageFiles\('photos\/'\) needs a file system, which is Node-only; in a browser pass a FileSystemDirectoryHandle/,
    );
    await root.removeEntry(dir.name, { recursive: true });
  });

  it('draws the augmentation preview as a PNG Blob, encodes PNGs, and says writing files is Node-only', async () => {
    const images = await readImages([url('gradient.png'), url('gradient.jpg')], { size: [16, 16] });
    const preview = await assertNoTensorLeak('augmentationPreview', () =>
      augmentationPreview(images, simclrPreset({ size: [16, 16] }), { views: 3, seed: 1, scale: 2 }),
    );
    const cell = 16 * 2 + 2;
    expect({ ...preview, png: undefined }).toEqual({
      png: undefined,
      rows: 2,
      columns: 4,
      width: 4 * cell + 2,
      height: 2 * cell + 2,
    });
    expect(preview.png.type).toBe('image/png');
    const grid = await decodeImage(preview.png);
    expect([grid.height, grid.width]).toEqual([preview.height, preview.width]);
    expect(Array.from(grid.data.subarray(0, 3))).toEqual([128, 128, 128]); // separator
    await expect(
      augmentationPreview(images, simclrPreset({ size: [16, 16] }), { views: 1, out: 'preview.png' }),
    ).rejects.toThrow(
      'augmentationPreview: writing a file (preview.png) is Node-only; in a browser leave out `out` and use the returned `png` Blob',
    );
    const first = images.slice([0, 0, 0, 0], [1, 16, 16, 3]) as Tensor4D;
    const png = await assertNoTensorLeak('encodePng', () => encodePng(first));
    const back = await readImage(png);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(back, tf.squeeze(first, [0])))).dataSync()[0])).toBeLessThanOrEqual(
      0.5 / 255 + 1e-6,
    );
    await expect(writePng(first, 'out/view.png')).rejects.toThrow(
      'writePng: writing a file (out/view.png) is Node-only; in a browser use encodePng(image) for a PNG Blob',
    );
    tf.dispose([images, first, back]);
  });
});
