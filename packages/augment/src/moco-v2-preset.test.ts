import { initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { mocoV2Preset } from './moco-v2-preset.js';
import { expectAugmentationContract, randomBatch } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('mocoV2Preset', () => {
  it('keeps the contract for RGB and 1-channel data', async () => {
    await expectAugmentationContract(
      'mocoV2',
      mocoV2Preset({ size: [24, 24] }),
      randomBatch(6, 32, 32, 3),
      [6, 24, 24, 3],
    );
    await expectAugmentationContract(
      'mocoV2 gray',
      mocoV2Preset({ size: [20, 20], channels: 1, blur: false }),
      randomBatch(6, 28, 28, 1),
      [6, 20, 20, 1],
    );
    expect(() => mocoV2Preset({ size: [24, 24], channels: 2 as 3 })).toThrow(
      'mocoV2Preset: channels must be 1 or 3; got 2',
    );
  });
});
