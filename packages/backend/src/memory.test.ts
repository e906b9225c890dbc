import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { assertNoTensorLeak, measureTensorLeak } from './memory.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('tensor leak helpers', () => {
  it('accept a function whose only tensors are its (nested) results', async () => {
    const a = tf.tensor1d([1, 2, 3]);
    const report = await measureTensorLeak(() => ({ sum: tf.add(a, a), parts: [tf.mul(a, 2), tf.neg(a)] }));
    expect(report.leakedTensors).toBe(0);
    expect(report.leakedDataBuffers).toBe(0);
    expect(report.result.sum.isDisposed).toBe(true);
    a.dispose();
  });

  it('catch a leaked intermediate and name the function', async () => {
    const a = tf.tensor1d([1, 2, 3]);
    let leaked: tf.Tensor | undefined;
    await expect(
      assertNoTensorLeak('leaky', () => {
        leaked = tf.square(a);
        return tf.sum(leaked);
      }),
    ).rejects.toThrow(/leaky changed the number of live tensors by 1/);
    leaked?.dispose();
    a.dispose();
  });

  it('work with async functions', async () => {
    const value = await assertNoTensorLeak('async', async () => {
      const t = tf.tensor1d([4, 5]);
      const data = await t.data();
      t.dispose();
      return Array.from(data);
    });
    expect(value).toEqual([4, 5]);
  });
});
