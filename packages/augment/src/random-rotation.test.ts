import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomRotation } from './random-rotation.js';
import { expectAugmentationContract, maxAbsDiff, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('randomRotation', () => {
  it('rotates counter-clockwise as torchvision: +90° matches rot90', () => {
    const image = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const ccw = randomRotation({ degrees: [90, 90] })(image, createRng(1));
    expect(values(ccw).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    const cw = randomRotation({ degrees: [-90, -90], interpolation: 'nearest' })(image, createRng(1));
    expect(values(cw)).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3]);
    tf.dispose([image, ccw, cw]);
  });

  it('draws angles within the range: 0° is the identity, small angles keep the center pixel', () => {
    const images = randomBatch(4, 9, 9, 3);
    const same = randomRotation({ degrees: 0 })(images, createRng(3));
    expect(maxAbsDiff(same, images)).toBeLessThan(1e-6);
    const turned = randomRotation({ degrees: 30, fill: 0.5 })(images, createRng(3));
    expect(maxAbsDiff(turned.slice([0, 4, 4, 0], [4, 1, 1, 3]), images.slice([0, 4, 4, 0], [4, 1, 1, 3]))).toBeLessThan(
      1e-5,
    );
    tf.dispose([images, same, turned]);
  });

  it('keeps the contract and rejects a bad range', async () => {
    const images = randomBatch(5, 8, 10, 3);
    await expectAugmentationContract('randomRotation', randomRotation({ degrees: 45 }), images, [5, 8, 10, 3]);
    expect(() => randomRotation({ degrees: [10, -10] })).toThrow(/degrees must be \[low, high\]/);
    images.dispose();
  });
});
