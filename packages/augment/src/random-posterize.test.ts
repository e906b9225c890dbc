import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomPosterize } from './random-posterize.js';
import { expectAugmentationContract, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('randomPosterize', () => {
  it('keeps the top bits of the 8-bit value, as torchvision on uint8 images', () => {
    const levels = [0, 1, 63, 64, 127, 128, 200, 255];
    const image = tf.tensor4d(
      levels.map((l) => l / 255),
      [1, 1, 8, 1],
    );
    for (const bits of [1, 2, 4, 8]) {
      const out = values(randomPosterize({ bits, p: 1 })(image, createRng(0))).map((v) => Math.round(v * 255));
      const mask = (0xff << (8 - bits)) & 0xff;
      expect(out).toEqual(levels.map((l) => l & mask));
    }
    expect(() => randomPosterize({ bits: 0 })).toThrow('randomPosterize: bits must be an integer in 1..8; got 0');
    image.dispose();
  });

  it('keeps the contract', async () => {
    await expectAugmentationContract('randomPosterize', randomPosterize({ bits: 3 }), randomBatch(12, 4, 4, 3));
  });
});
