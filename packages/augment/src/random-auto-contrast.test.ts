import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomAutoContrast } from './random-auto-contrast.js';
import { expectAugmentationContract, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('randomAutoContrast', () => {
  it('stretches each channel to [0, 1] and leaves flat channels alone', () => {
    // Channel 0 spans 0.4–0.6, channel 1 is flat at 0.3.
    const image = tf.tensor4d([0.4, 0.3, 0.5, 0.3, 0.6, 0.3], [1, 1, 3, 2]);
    const out = values(randomAutoContrast({ p: 1 })(image, createRng(0))).map((v) => Math.round(v * 1e5) / 1e5);
    expect(out).toEqual([0, 0.3, 0.5, 0.3, 1, 0.3]);
    image.dispose();
  });

  it('keeps the contract', async () => {
    await expectAugmentationContract('randomAutoContrast', randomAutoContrast(), randomBatch(12, 4, 4, 3));
  });
});
