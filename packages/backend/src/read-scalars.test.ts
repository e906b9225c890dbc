import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { assertNoTensorLeak } from './memory.js';
import { readScalars } from './read-scalars.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('readScalars', () => {
  it('reads one-value tensors of any dtype and passes numbers through, keys in order, leak-free', async () => {
    const values = await assertNoTensorLeak('readScalars', () =>
      readScalars({
        accuracy: tf.scalar(0.75),
        count: tf.tensor1d([3], 'int32'),
        psnr: 21.5,
        flag: tf.tensor2d([[1]], [1, 1], 'bool'),
      }),
    );
    expect(values).toEqual({ accuracy: 0.75, count: 3, psnr: 21.5, flag: 1 });
    expect(Object.keys(values)).toEqual(['accuracy', 'count', 'psnr', 'flag']);
  });

  it('reads nothing for numbers alone or an empty record', async () => {
    expect(await readScalars({ a: 1 })).toEqual({ a: 1 });
    expect(await readScalars({})).toEqual({});
  });

  it('names a tensor that holds more than one value, and disposes every tensor', async () => {
    const before = tf.memory().numTensors;
    await expect(readScalars({ fine: tf.scalar(1), rows: tf.tensor1d([1, 2]) })).rejects.toThrow(
      /readScalars: 'rows' must hold one value, got a tensor of shape \[2\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
