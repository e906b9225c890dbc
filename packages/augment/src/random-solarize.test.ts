import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomSolarize } from './random-solarize.js';
import { expectAugmentationContract, expectRate, randomBatch, unchangedSamples, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('randomSolarize', () => {
  it('inverts pixels at or above the threshold exactly, at rate p', () => {
    const image = tf.tensor4d([0.2, 0.5, 0.7, 1], [1, 1, 4, 1]);
    expect(values(randomSolarize({ p: 1, threshold: 0.5 })(image, createRng(0)))).toEqual(
      values(tf.tensor1d([0.2, 1 - 0.5, 1 - 0.7, 0])),
    );
    const images = randomBatch(400, 3, 3, 1);
    const out = randomSolarize({ p: 0.2 })(images, createRng(3));
    expectRate(unchangedSamples(images, out).filter((s) => !s).length, 400, 0.2);
    tf.dispose([image, images, out]);
  });

  it('keeps the contract', async () => {
    await expectAugmentationContract('randomSolarize', randomSolarize({ p: 0.5 }), randomBatch(12, 4, 4, 3));
    expect(() => randomSolarize({ threshold: Number.NaN })).toThrow(/threshold/);
  });
});
