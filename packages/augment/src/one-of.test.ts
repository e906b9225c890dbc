import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from './compose.js';
import { horizontalFlip } from './horizontal-flip.js';
import { oneOf } from './one-of.js';
import { randomSolarize } from './random-solarize.js';
import { brighten, expectAugmentationContract, expectRate, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('oneOf', () => {
  it('picks one op per sample with the given weights', async () => {
    const images = tf.zeros([400, 2, 2, 1]) as Tensor4D;
    const out = oneOf([brighten, compose(brighten, brighten)], [1, 3])(images, createRng(2));
    const means = values(tf.mean(out, [1, 2, 3]));
    expectRate(means.filter((m) => m > 0.15).length, 400, 0.75);
    expect(means.every((m) => Math.abs(m - 0.1) < 1e-6 || Math.abs(m - 0.2) < 1e-6)).toBe(true);
    const never = oneOf([brighten, compose(brighten, brighten)], [1, 0])(images, createRng(2));
    expect(values(tf.max(never))[0]).toBeCloseTo(0.1, 6);
    await expectAugmentationContract(
      'oneOf',
      oneOf([horizontalFlip({ p: 1 }), randomSolarize({ p: 1 })]),
      randomBatch(10, 4, 4, 3),
    );
    expect(() => oneOf([])).toThrow('oneOf: needs at least one augmentation');
    expect(() => oneOf([brighten], [0])).toThrow(/not all zero/);
    tf.dispose([images, out, never]);
  });
});
