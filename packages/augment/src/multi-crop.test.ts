import { initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { colorJitter } from './color-jitter.js';
import { multiCrop } from './multi-crop.js';
import { randomSolarize } from './random-solarize.js';
import { expectViewMakerContract, randomBatch } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('multiCrop', () => {
  it('makes global views first, then local ones, each with its transforms', async () => {
    const images = randomBatch(3, 32, 32, 3);
    await expectViewMakerContract(
      'multiCrop',
      multiCrop({
        global: {
          count: 2,
          size: [24, 24],
          scale: [0.4, 1],
          transforms: [colorJitter({ brightness: 0.4 }), randomSolarize()],
        },
        local: { count: 3, size: [12, 12], scale: [0.05, 0.4], transforms: colorJitter({ contrast: 0.4 }) },
      }),
      images,
      [
        [3, 24, 24, 3],
        [3, 24, 24, 3],
        [3, 12, 12, 3],
        [3, 12, 12, 3],
        [3, 12, 12, 3],
      ],
    );
    await expectViewMakerContract(
      'multiCrop global only',
      multiCrop({ global: { count: 1, size: [8, 8], scale: [0.5, 1] } }),
      images,
      [[3, 8, 8, 3]],
    );
    expect(() =>
      multiCrop({ global: { count: 2, size: [8, 8], scale: [0.4, 1], transforms: [randomSolarize()] } }),
    ).toThrow('multiCrop: global.transforms needs one augmentation per view (2); got 1');
    expect(() => multiCrop({ global: { count: 0, size: [8, 8], scale: [0.4, 1] } })).toThrow(
      /global.count must be a number ≥ 1/,
    );
    images.dispose();
  });
});
