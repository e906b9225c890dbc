import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { centerCrop } from './center-crop.js';
import { expectAugmentationContract, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('centerCrop', () => {
  it('takes the central region with torchvision offsets (round half to even)', () => {
    const image = tf.tensor4d(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 4, 4, 1],
    );
    expect(values(centerCrop([2, 2])(image, createRng(0)))).toEqual([5, 6, 9, 10]);
    // (4 − 1) / 2 = 1.5 rounds to 2, as Python's round.
    expect(values(centerCrop([1, 1])(image, createRng(0)))).toEqual([10]);
    expect(values(centerCrop([3, 1])(image, createRng(0)))).toEqual([2, 6, 10]);
    expect(() => centerCrop([5, 5])(image, createRng(0))).toThrow(
      'centerCrop: crop 5×5 is larger than the images (4×4)',
    );
    image.dispose();
  });

  it('keeps the contract (deterministic)', async () => {
    const images = randomBatch(3, 9, 7, 3);
    await expectAugmentationContract('centerCrop', centerCrop([5, 5]), images, [3, 5, 5, 3], { deterministic: true });
    images.dispose();
  });
});
