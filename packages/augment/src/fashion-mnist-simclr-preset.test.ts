import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistSimclrPreset } from './fashion-mnist-simclr-preset.js';
import { expectAugmentationContract, expectRate, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('fashionMnistSimclrPreset (the recipe of bench/reference/fashion_mnist_augment.py)', () => {
  it('keeps the contract on 28×28×1', async () => {
    await expectAugmentationContract('fashionMnistSimclr', fashionMnistSimclrPreset(), randomBatch(8, 28, 28, 1));
  });

  it('jitters 80 % of the samples by brightness·contrast factors from U(0.6, 1.4), clamped once', () => {
    // Crops and blur keep a constant image constant; on it brightness b and contrast c give
    // clamp(b·x): the factor is recoverable per sample.
    const gray = tf.fill([1000, 28, 28, 1], 0.5) as Tensor4D;
    const out = fashionMnistSimclrPreset()(gray, createRng(7));
    const factors = values(tf.mean(out, [1, 2, 3])).map((m) => m / 0.5);
    const jittered = factors.filter((f) => Math.abs(f - 1) > 1e-6);
    expectRate(jittered.length, 1000, 0.8);
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.6 - 1e-5);
    expect(Math.max(...factors)).toBeLessThanOrEqual(1.4 + 1e-5);
    tf.dispose([gray, out]);
  });
});
