import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomResizedCrop } from './random-resized-crop.js';
import { expectViewMakerContract, randomBatch, values } from './test-helpers.js';
import { twoViews } from './two-views.js';
import { views } from './views.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('twoViews and views', () => {
  it('make views from independent streams, reproducible per seed', async () => {
    const images = randomBatch(4, 16, 16, 3);
    const crop = randomResizedCrop({ size: [8, 8], flipProbability: 0.5 });
    await expectViewMakerContract('twoViews', twoViews(crop), images, [
      [4, 8, 8, 3],
      [4, 8, 8, 3],
    ]);
    await expectViewMakerContract('views', views([crop, randomResizedCrop({ size: [4, 4] }), crop]), images, [
      [4, 8, 8, 3],
      [4, 4, 4, 3],
      [4, 8, 8, 3],
    ]);
    // Two calls with one rng give new views.
    const rng = createRng(3);
    const [a] = twoViews(crop)(images, rng);
    const [b] = twoViews(crop)(images, rng);
    expect(values(a as tf.Tensor)).not.toEqual(values(b as tf.Tensor));
    expect(() => views([])).toThrow(/non-empty list/);
    tf.dispose([images, a as tf.Tensor, b as tf.Tensor]);
  });
});
