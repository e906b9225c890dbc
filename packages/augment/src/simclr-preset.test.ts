import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistSimclrPreset } from './fashion-mnist-simclr-preset.js';
import { simclrPreset } from './simclr-preset.js';
import { expectAugmentationContract, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('simclrPreset', () => {
  it('keeps the contract for RGB (with and without blur) and for 1-channel data', async () => {
    const rgb = randomBatch(6, 32, 32, 3);
    const gray = randomBatch(6, 28, 28, 1);
    await expectAugmentationContract('simclr', simclrPreset({ size: [24, 24] }), rgb, [6, 24, 24, 3]);
    await expectAugmentationContract(
      'simclr blur',
      simclrPreset({ size: [24, 24], blur: true, strength: 0.5 }),
      rgb,
      [6, 24, 24, 3],
    );
    await expectAugmentationContract(
      'simclr gray',
      simclrPreset({ size: [28, 28], channels: 1 }),
      gray,
      [6, 28, 28, 1],
    );
    tf.dispose([rgb, gray]);
  });

  it('rejects a batch with the wrong channel count when channels is given, and bad options', () => {
    const gray = randomBatch(2, 8, 8, 1);
    expect(() => simclrPreset({ size: [8, 8], channels: 3 })(gray, createRng(0))).toThrow(
      'simclrPreset: built for 3-channel images; got 1 channels',
    );
    expect(() => simclrPreset({ size: [8, 8], strength: -1 })).toThrow(/strength must be a number ≥ 0/);
    expect(() => simclrPreset({ size: [8, 8], scale: [0.5, 2] })).toThrow(/scale must be/);
    gray.dispose();
  });

  it('gives the same batch on cpu and wasm for the same seed (within float rounding)', async () => {
    const run = async (
      backend: string,
      make: () => (x: Tensor4D, rng: ReturnType<typeof createRng>) => Tensor4D,
      shape: number[],
    ) => {
      await tf.setBackend(backend);
      return tf.tidy(() => values(make()(createRng(3).uniformTensor(shape) as Tensor4D, createRng(4))));
    };
    for (const [make, shape] of [
      [() => simclrPreset({ size: [12, 12], blur: true }), [4, 16, 16, 3]],
      [() => fashionMnistSimclrPreset(), [4, 28, 28, 1]],
    ] as const) {
      const cpu = await run('cpu', make, [...shape]);
      const wasm = await run('wasm', make, [...shape]);
      expect(Math.max(...cpu.map((v, i) => Math.abs(v - (wasm[i] as number))))).toBeLessThan(1e-4);
    }
  });
});
