import { initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { hsvToRgb } from './hsv-to-rgb.js';
import { values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

// The comparison with torchvision and the round trip live in rgb-to-hsv.test.ts.
describe('hsvToRgb', () => {
  it('maps the hue circle to the primaries and secondaries', () => {
    const hues = [0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6];
    const hsv = tf.tensor4d(
      hues.flatMap((h) => [h, 1, 1]),
      [1, 1, 6, 3],
    );
    const rgb = values(hsvToRgb(hsv)).map((v) => Math.round(v * 1e5) / 1e5);
    expect(rgb).toEqual([1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1]);
    hsv.dispose();
  });
});
