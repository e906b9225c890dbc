import { assertNoTensorLeak, createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { equalizeImages, randomEqualize } from './random-equalize.js';
import { expectAugmentationContract, randomBatch, values } from './test-helpers.js';
import { equalizeChannel } from './test-torchvision-reference.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('randomEqualize', () => {
  it('matches torchvision equalize channel by channel (batched histograms and lookups)', async () => {
    // Skewed intensities, so equalization moves most values; sample 2 is nearly flat (step 0).
    const images = tf.tidy(() =>
      tf.concat([tf.mul(randomBatch(2, 30, 20, 3, 4), tf.tensor1d([0.3, 0.6, 1])), tf.fill([1, 30, 20, 3], 0.5)]),
    ) as Tensor4D;
    const [n, h, w, c] = images.shape;
    const levels = values(images).map((v) => Math.round(v * 255));
    const expected = [...levels];
    for (let s = 0; s < n; s++) {
      for (let k = 0; k < c; k++) {
        const indices = Array.from({ length: h * w }, (_, p) => (s * h * w + p) * c + k);
        const equalized = equalizeChannel(indices.map((i) => levels[i] as number));
        indices.forEach((i, p) => {
          expected[i] = equalized[p] as number;
        });
      }
    }
    const got = values(equalizeImages(images)).map((v) => Math.round(v * 255));
    expect(got).toEqual(expected);
    expect(got.filter((v, i) => v !== levels[i]).length).toBeGreaterThan(1000);
    await assertNoTensorLeak('equalizeImages', () => equalizeImages(images));
    images.dispose();
  });

  it('keeps the contract', async () => {
    await expectAugmentationContract('randomEqualize', randomEqualize(), randomBatch(12, 16, 16, 3));
    const gray = randomBatch(3, 16, 16, 1);
    expect(randomEqualize({ p: 1 })(gray, createRng(0)).shape).toEqual([3, 16, 16, 1]);
    gray.dispose();
  });
});
