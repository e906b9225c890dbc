import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomResizedCrop, randomResizedCropBoxes } from './random-resized-crop.js';
import { expectAugmentationContract, expectRate, maxAbsDiff, randomBatch } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('randomResizedCropBoxes (torchvision sampling)', () => {
  it('keeps area within the scale range and the ratio within its range (up to integer rounding), inside the image', () => {
    const [height, width] = [32, 40];
    const boxes = randomResizedCropBoxes(createRng(3), 4000, height, width, {
      scale: [0.2, 0.9],
      ratio: [3 / 4, 4 / 3],
      flipProbability: 0.5,
    });
    let flipped = 0;
    for (const box of boxes) {
      expect(Number.isInteger(box.top) && Number.isInteger(box.height)).toBe(true);
      // Sides are rounded to whole pixels: the area fraction can move by about one row and column.
      const slack = (box.height + box.width + 1) / (height * width);
      const area = (box.height * box.width) / (height * width);
      expect(area).toBeGreaterThanOrEqual(0.2 - slack);
      expect(area).toBeLessThanOrEqual(0.9 + slack);
      const ratio = box.width / box.height;
      expect(ratio).toBeGreaterThanOrEqual((3 / 4) * (1 - 1 / box.height) - 1e-9);
      expect(ratio).toBeLessThanOrEqual((4 / 3) * (1 + 1 / box.height) + 1e-9);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.top + box.height).toBeLessThanOrEqual(height);
      expect(box.left + box.width).toBeLessThanOrEqual(width);
      if (box.flipped === true) flipped++;
    }
    expectRate(flipped, boxes.length, 0.5);
    // Large areas with extreme ratios do not fit and are redrawn, which pulls the mean below 0.55.
    // torchvision 0.14's get_params gives a mean of 0.5069 (sd 0.184, 20 000 draws) on this image.
    const mean = boxes.reduce((sum, b) => sum + (b.height * b.width) / (height * width), 0) / boxes.length;
    expect(Math.abs(mean - 0.5069)).toBeLessThan((4 * 0.184) / Math.sqrt(boxes.length));
  });

  it('falls back to the central crop clipped to the ratio range after 10 failed tries, as torchvision', () => {
    // A 10×40 image cannot hold a 99 % area crop of ratio 1: the fallback is the central 10×13.
    const [box] = randomResizedCropBoxes(createRng(1), 1, 10, 40, { scale: [0.99, 1], ratio: [1, 4 / 3] });
    expect(box).toEqual({ top: 0, left: 13, height: 10, width: 13, flipped: false });
    // Python rounds half to even: 10 · 1.25 = 12.5 → 12.
    const [even] = randomResizedCropBoxes(createRng(1), 1, 10, 40, { scale: [0.99, 1], ratio: [1, 1.25] });
    expect(even?.width).toBe(12);
  });

  it('continuous sampling (the Fashion-MNIST recipe) draws fractional boxes with the exact area when it fits', () => {
    const boxes = randomResizedCropBoxes(createRng(2), 2000, 28, 28, { scale: [0.3, 1], sampling: 'continuous' });
    let unclamped = 0;
    for (const box of boxes) {
      expect(box.height).toBeLessThanOrEqual(28);
      expect(box.width).toBeLessThanOrEqual(28);
      expect(box.top + box.height).toBeLessThanOrEqual(28 + 1e-9);
      const area = (box.height * box.width) / (28 * 28);
      expect(area).toBeLessThanOrEqual(1 + 1e-9);
      if (box.height < 28 && box.width < 28) {
        unclamped++;
        expect(area).toBeGreaterThanOrEqual(0.3 - 1e-9);
      }
    }
    expect(unclamped).toBeGreaterThan(1000);
  });

  it('rejects malformed ranges', () => {
    expect(() => randomResizedCrop({ size: [8, 8], scale: [0.9, 0.1] })).toThrow(
      'randomResizedCrop: scale must be [low, high] with 0 ≤ low ≤ high; got [0.9,0.1]',
    );
    expect(() => randomResizedCrop({ size: [8, 8], ratio: [0, 1] })).toThrow(/ratio must be/);
    expect(() => randomResizedCrop({ size: [8, 8], flipProbability: 2 })).toThrow(/probability/);
    expect(() => randomResizedCrop({ size: [8, 0] })).toThrow(/size must be/);
  });
});

describe('randomResizedCrop', () => {
  it('keeps the contract: size, range, determinism, new draws per call, no leaks', async () => {
    const images = randomBatch(8, 20, 24, 3);
    await expectAugmentationContract(
      'randomResizedCrop',
      randomResizedCrop({ size: [12, 10], flipProbability: 0.5 }),
      images,
      [8, 12, 10, 3],
    );
    await expectAugmentationContract(
      'randomResizedCrop continuous',
      randomResizedCrop({ size: [16, 16], sampling: 'continuous' }),
      images,
      [8, 16, 16, 3],
    );
    images.dispose();
  });

  it('a full-image crop is the identity; with flipProbability 1 it is the mirror image', () => {
    const images = randomBatch(2, 6, 6, 1);
    const full = randomResizedCrop({ size: [6, 6], scale: [1, 1], ratio: [1, 1] })(images, createRng(1));
    expect(maxAbsDiff(full, images)).toBe(0);
    const flipped = randomResizedCrop({ size: [6, 6], scale: [1, 1], ratio: [1, 1], flipProbability: 1 })(
      images,
      createRng(1),
    );
    const mirror = tf.reverse(images, 2);
    expect(maxAbsDiff(flipped, mirror)).toBe(0);
    tf.dispose([images, full, flipped, mirror]);
  });
});
