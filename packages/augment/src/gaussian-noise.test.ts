import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianNoise } from './gaussian-noise.js';
import { expectAugmentationContract, expectRate, randomBatch, unchangedSamples } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('gaussianNoise', () => {
  it('adds zero-mean noise of the given std (away from the clamp), to samples at rate p', () => {
    const gray = tf.fill([4, 40, 40, 1], 0.5) as Tensor4D;
    const noisy = gaussianNoise({ std: 0.05 })(gray, createRng(0));
    const { mean, variance } = tf.moments(noisy);
    expect(Math.abs((mean.dataSync()[0] as number) - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(Math.sqrt(variance.dataSync()[0] as number) - 0.05)).toBeLessThan(0.003);
    const images = randomBatch(400, 2, 2, 1);
    const some = gaussianNoise({ std: 0.1, p: 0.3 })(images, createRng(1));
    expectRate(unchangedSamples(images, some).filter((s) => !s).length, 400, 0.3);
    tf.dispose([gray, noisy, mean, variance, images, some]);
  });

  it('keeps the contract', async () => {
    await expectAugmentationContract('gaussianNoise', gaussianNoise({ std: 0.1 }), randomBatch(6, 4, 4, 3));
    expect(() => gaussianNoise({ std: -1 })).toThrow('gaussianNoise: std must be a number ≥ 0; got -1');
  });
});
