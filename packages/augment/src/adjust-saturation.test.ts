import { initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustSaturation } from './adjust-saturation.js';
import { values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

// The torchvision comparison of all three blends lives in adjust-brightness.test.ts.
describe('adjustSaturation', () => {
  it('blends with the luma image; 1-channel images are unchanged', () => {
    const red = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]);
    // gray = 0.2989: factor 0.5 → 0.5 + 0.5·0.2989, 0.5·0.2989, 0.5·0.2989.
    const out = values(adjustSaturation(red, [0.5])).map((v) => Math.round(v * 1e5) / 1e5);
    expect(out).toEqual([0.64945, 0.14945, 0.14945]);
    const gray = tf.tensor4d([0.3, 0.6], [1, 1, 2, 1]);
    expect(values(adjustSaturation(gray, [0]))).toEqual(values(gray));
    tf.dispose([red, gray]);
  });
});
