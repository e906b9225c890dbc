import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { resize } from './resize.js';
import { expectAugmentationContract, maxAbsDiff, randomBatch } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('resize', () => {
  it('uses half-pixel centers like torchvision (F.interpolate, align_corners=False)', () => {
    const image = tf.tensor4d([0.2, 0.4, 0.6, 0.8], [1, 2, 2, 1]);
    const out = resize([4, 4])(image, createRng(0));
    const torch = [0.2, 0.25, 0.35, 0.4, 0.3, 0.35, 0.45, 0.5, 0.5, 0.55, 0.65, 0.7, 0.6, 0.65, 0.75, 0.8];
    expect(maxAbsDiff(out, tf.tensor4d(torch, [1, 4, 4, 1]))).toBeLessThan(1e-6);
    tf.dispose([image, out]);
  });

  it('keeps the contract (deterministic) and rejects a bad size', async () => {
    const images = randomBatch(3, 9, 7, 3);
    await expectAugmentationContract('resize', resize([12, 5]), images, [3, 12, 5, 3], { deterministic: true });
    expect(() => resize([2.5, 3])).toThrow(/size must be \[height, width\] of positive integers/);
    images.dispose();
  });
});
