import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertNoTensorLeak, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoFiles } from './photo-files.js';
import { loadPhotoSplit, photoDecodeSize, photoPatchDataset, photoPatchSample } from './photo-patches.js';

const testImages = resolve(dirname(fileURLToPath(import.meta.url)), '../../augment/test-data/images');

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** Two 40×60 "photos" whose pixel value tells its column (left dark, right bright), RGB. */
function columnPhotos(): Tensor4D {
  return tf.tidy(() => tf.tile(tf.reshape(tf.linspace(0, 1, 60), [1, 1, 60, 1]), [2, 40, 1, 3]) as Tensor4D);
}

async function epoch(data: ReturnType<typeof photoPatchDataset>, index: number): Promise<number[][]> {
  const batches: number[][] = [];
  for await (const batch of data.iterate(index)) {
    batches.push(Array.from(batch.dataSync()));
    batch.dispose();
  }
  return batches;
}

describe('photo patches', () => {
  it('decodes photos at a size that scales with the patch: a patch covers the same share of a photo', () => {
    expect(photoDecodeSize(28)).toEqual([240, 320]);
    expect(photoDecodeSize(64)).toEqual([549, 731]);
  });

  it('draws batches of patches that are a function of (seed, epoch, step): the same on a second pass, others in the next epoch', async () => {
    const photos = columnPhotos();
    const data = photoPatchDataset(photos, { batchSize: 16, batchesPerEpoch: 2, patchSize: 8, seed: 3 });
    expect(data.size).toBe(2);
    const first = await epoch(data, 0);
    expect(first).toHaveLength(2);
    expect(first[0]).toHaveLength(16 * 8 * 8 * 3);
    expect(await epoch(data, 0)).toEqual(first);
    expect(await epoch(data, 1)).not.toEqual(first);
    for (const value of first.flat()) expect(value >= 0 && value <= 1).toBe(true);
    // Each patch is a crop of one photo: brightness runs along the row, left to right or (flipped) right to left.
    const sample = photoPatchSample(photos, 64, 8, 5);
    const rows = (await sample.array()) as number[][][][];
    const directions = rows.map((patch) => Math.sign((patch[0]?.[7]?.[0] as number) - (patch[0]?.[0]?.[0] as number)));
    expect(directions.filter((d) => d > 0).length).toBeGreaterThan(16);
    expect(directions.filter((d) => d < 0).length).toBeGreaterThan(16);
    await assertNoTensorLeak('photoPatchSample', () => photoPatchSample(photos, 4, 8, 5));
    expect(() => photoPatchDataset(photos, { batchSize: 0, batchesPerEpoch: 1, patchSize: 8, seed: 0 })).toThrow(
      'photoPatchDataset: batchSize must be a positive integer; got 0',
    );
    tf.dispose([photos, sample]);
  });

  it('finds photo files in folders (recursively) and files, sorted, and names what is missing', async () => {
    const files = await photoFiles([testImages]);
    expect(files).toHaveLength(8);
    expect(files).toEqual([...files].sort());
    expect(files.some((file) => file.includes(join('nested', 'gray.png')))).toBe(true);
    const single = join(testImages, 'gradient.png');
    expect(await photoFiles([single, join(testImages, 'nested')], { minimum: 1 })).toHaveLength(4);
    await expect(photoFiles(['/nonexistent/photos'])).rejects.toThrow('photos: /nonexistent/photos does not exist');
    await expect(photoFiles([single])).rejects.toThrow(`photos: found 1 image(s) in ${single}; need at least 4`);
    // The defaults: Debian's wallpaper photographs where installed, else how to install them.
    const defaults = await photoFiles().catch((error: Error) => error);
    if (defaults instanceof Error) expect(defaults.message).toContain('apt-get install -y mate-backgrounds');
    else expect(defaults.length).toBeGreaterThanOrEqual(4);
  });

  it('loads photos at the patch size and holds every 4th out', async () => {
    const files = (await photoFiles([testImages])).slice(0, 5);
    const split = await loadPhotoSplit(files, { patchSize: 14 });
    expect(split.heldOutFiles).toEqual([files[3]]);
    expect(split.trainFiles).toEqual([files[0], files[1], files[2], files[4]]);
    expect(split.train.shape).toEqual([4, 120, 160, 3]);
    expect(split.heldOut.shape).toEqual([1, 120, 160, 3]);
    tf.dispose([split.train, split.heldOut]);
    await expect(loadPhotoSplit(files.slice(0, 3), { patchSize: 14 })).rejects.toThrow(
      'loadPhotoSplit: 3 photo(s) leave none to hold out (every 4th); need at least 4',
    );
    const broken = join(mkdtempSync(join(tmpdir(), 'photos-')), 'broken.jpg');
    writeFileSync(broken, 'not a photo');
    await expect(loadPhotoSplit([...files.slice(0, 3), broken], { patchSize: 14 })).rejects.toThrow();
  });
});
