import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend.js';
import { assertNoTensorLeak } from '../memory.js';
import { randomValues, runOn } from '../testing/backend-parity.js';
import { collapseTranspose } from './transpose.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('collapseTranspose', () => {
  it('drops unit axes and merges axes that stay neighbours', () => {
    expect(collapseTranspose([2, 3, 4, 5], [0, 3, 1, 2])).toEqual({ shape: [2, 12, 5], perm: [0, 2, 1] });
    expect(collapseTranspose([2, 1, 4, 5], [3, 1, 2, 0])).toEqual({ shape: [2, 4, 5], perm: [2, 1, 0] });
    expect(collapseTranspose([2, 3, 4], [0, 1, 2])).toEqual({ shape: [24], perm: [0] });
    expect(collapseTranspose([1, 1], [1, 0])).toEqual({ shape: [], perm: [] });
  });
});

describe('Transpose on wasm (SIMD kernels)', () => {
  const cases: Array<[number[], number[]]> = [
    [
      [7, 5],
      [1, 0],
    ],
    [
      [64, 48],
      [1, 0],
    ],
    [
      [3, 9, 10, 6],
      [3, 1, 2, 0],
    ],
    [
      [4, 7, 7, 8],
      [0, 3, 1, 2],
    ],
    [
      [4, 6, 5, 8],
      [1, 2, 0, 3],
    ],
    [
      [2, 3, 4, 5, 6],
      [4, 2, 0, 3, 1],
    ],
    [
      [5, 1, 9, 1],
      [3, 2, 1, 0],
    ],
    [
      [2, 3, 4, 5, 6, 7],
      [5, 0, 4, 1, 3, 2],
    ],
    [
      [13, 17, 3],
      [1, 2, 0],
    ],
  ];
  for (const [shape, perm] of cases) {
    it(`[${shape}] by [${perm}] matches cpu exactly, float32 and int32`, async () => {
      const input = randomValues(shape, 21);
      const [expected] = await runOn('cpu', [input], (x) => tf.transpose(x as tf.Tensor, perm));
      const [actual] = await runOn('wasm', [input], (x) => tf.transpose(x as tf.Tensor, perm));
      expect(actual?.shape).toEqual(expected?.shape);
      expect(Array.from(actual?.values ?? [])).toEqual(Array.from(expected?.values ?? []));
      const ints = { shape, values: Int32Array.from(input.values, (v) => Math.round(v * 1000)) };
      const [expectedInt] = await runOn('cpu', [ints], (x) => tf.transpose(x as tf.Tensor, perm));
      const [actualInt] = await runOn('wasm', [ints], (x) => tf.transpose(x as tf.Tensor, perm));
      expect(Array.from(actualInt?.values ?? [])).toEqual(Array.from(expectedInt?.values ?? []));
    });
  }

  it('handles bool tensors through the original kernel, and leaks nothing', async () => {
    const mask = tf.tensor2d([true, false, true, true, false, false], [2, 3], 'bool');
    expect(Array.from(tf.transpose(mask).dataSync())).toEqual([1, 1, 0, 0, 1, 0]);
    const x = tf.tensor4d(randomValues([2, 3, 4, 5], 22).values, [2, 3, 4, 5]);
    await assertNoTensorLeak('transpose', () => tf.transpose(x, [3, 1, 0, 2]));
    tf.dispose([mask, x]);
  });
});
