import { createRng, initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { dinoPreset } from './dino-preset.js';
import { expectViewMakerContract, randomBatch } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('dinoPreset', () => {
  it('makes 2 global then N local views of the requested sizes and keeps the contract', async () => {
    const images = randomBatch(3, 40, 40, 3);
    await expectViewMakerContract(
      'dino',
      dinoPreset({ globalSize: [32, 32], localSize: [16, 16], localCrops: 3 }),
      images,
      [
        [3, 32, 32, 3],
        [3, 32, 32, 3],
        [3, 16, 16, 3],
        [3, 16, 16, 3],
        [3, 16, 16, 3],
      ],
    );
    expect(() => dinoPreset({ localCrops: 2.5 })).toThrow(/local.count must be an integer/);
    expect(() => dinoPreset({ channels: 1 })(images, createRng(0))).toThrow(/built for 1-channel images; got 3/);
    images.dispose();
  });
});
