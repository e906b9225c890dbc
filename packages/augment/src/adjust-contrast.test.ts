import { initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustContrast } from './adjust-contrast.js';
import { values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

// The torchvision comparison of all three blends lives in adjust-brightness.test.ts.
describe('adjustContrast', () => {
  it('blends with the mean luma of each image and clamps', () => {
    const images = tf.tensor4d([0, 1, 0.2, 0.4], [2, 1, 2, 1]);
    // Means 0.5 and 0.3; factor 2 and 0.5.
    const out = values(adjustContrast(images, [2, 0.5])).map((v) => Math.round(v * 1e6) / 1e6);
    expect(out).toEqual([0, 1, 0.25, 0.35]);
    images.dispose();
  });
});
