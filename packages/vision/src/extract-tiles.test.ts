import { assertNoTensorLeak, createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { defendChromaticAberration } from './chromatic-aberration-defence.js';
import { extractTiles } from './extract-tiles.js';
import { standardizePerImage } from './standardize-per-image.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('tile helpers', () => {
  it('extractTiles cuts the windows asked for, shifting channels on their own when asked', async () => {
    const images = createRng(0).uniformTensor([2, 10, 12, 3]) as Tensor4D;
    const boxes = [
      { image: 1, top: 2, left: 5 },
      { image: 0, top: 7, left: 0 },
    ];
    const tiles = await assertNoTensorLeak('extractTiles', () => extractTiles(images, boxes, 3));
    expect(tiles.shape).toEqual([2, 3, 3, 3]);
    const direct = extractTiles(images, boxes, 3);
    const expected = tf.concat([images.slice([1, 2, 5, 0], [1, 3, 3, 3]), images.slice([0, 7, 0, 0], [1, 3, 3, 3])]);
    expect(Array.from(direct.dataSync())).toEqual(Array.from(expected.dataSync()));
    // Channel 1 of tile 0 moved one row down: it equals the window one row lower.
    const shifts = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const shifted = extractTiles(images, boxes, 3, shifts);
    const lower = images.slice([1, 3, 5, 1], [1, 3, 3, 1]);
    expect(Array.from(shifted.slice([0, 0, 0, 1], [1, 3, 3, 1]).dataSync())).toEqual(Array.from(lower.dataSync()));
    expect(() => extractTiles(images, [{ image: 0, top: 8, left: 0 }], 3)).toThrow(
      'extractTiles: tile 0 at (8, 0) of size 3 leaves the 10×12 image',
    );
    expect(() => extractTiles(images, [{ image: 2, top: 0, left: 0 }], 3)).toThrow(
      'extractTiles: tile 0 names image 2 of a batch of 2',
    );
    tf.dispose([images, direct, expected, shifted, lower]);
  });

  it('standardizePerImage and the chromatic defences keep shapes and leak nothing', async () => {
    const images = createRng(1).uniformTensor([3, 5, 5, 3]) as Tensor4D;
    const standardized = await assertNoTensorLeak('standardizePerImage', () => standardizePerImage(images));
    expect(standardized.shape).toEqual([3, 5, 5, 3]);
    const constant = standardizePerImage(tf.fill([1, 4, 4, 1], 0.7) as Tensor4D);
    expect(Array.from(constant.dataSync()).every((v) => Math.abs(v) < 1e-6)).toBe(true);
    for (const defence of ['channel-dropping', 'projection', 'grayscale', 'none'] as const) {
      const defended = await assertNoTensorLeak(defence, () =>
        defendChromaticAberration(images, defence, createRng(0)),
      );
      expect(defended.shape).toEqual([3, 5, 5, 3]);
    }
    expect(() => defendChromaticAberration(images, 'sepia' as never, createRng(0))).toThrow(
      "defendChromaticAberration: 'sepia' is not a defence; known: channel-dropping, projection, grayscale, none",
    );
    tf.dispose([images, constant]);
  });
});
