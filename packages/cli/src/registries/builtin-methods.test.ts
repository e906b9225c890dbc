import { createRng, initBackend, tf } from '@selfsup/backend';
import { createSmallCnn } from '@selfsup/models';
import { defaultTwoViews } from '@selfsup/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinMethods } from './builtin-methods.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe('builtinMethods', () => {
  it('two-view: the trainer’s two-view method with the configured projection and the config’s loss', async () => {
    const encoder = createSmallCnn({ widths: [8, 16], strides: [1, 2], seed: 2 });
    const entry = builtinMethods['two-view'];
    const options = entry?.completeOptions?.({ projection: { outputSize: 10, layers: 2, batchNorm: false } }, encoder);
    const seen: number[][] = [];
    const method = await entry?.create(options ?? {}, {
      encoder,
      views: defaultTwoViews(encoder),
      seed: 3,
      loss: (z1, z2) => {
        seen.push(z1.shape, z2.shape);
        return tf.mean(tf.squaredDifference(z1, z2));
      },
    });
    expect(method?.id).toBe('two-view');
    expect(Object.keys(method?.modules ?? {})).toEqual(['encoder', 'projector']);
    const batch = tf.zeros([4, 28, 28, 1]);
    const prepared = method?.prepare(batch, createRng(1)) as { views: tf.Tensor[] };
    const loss = method?.loss(prepared, { step: 0, totalSteps: 1 });
    expect(seen).toEqual([
      [4, 10],
      [4, 10],
    ]);
    tf.dispose([batch, loss as tf.Tensor, ...prepared.views]);
    method?.dispose();
    encoder.dispose();
  });

  it('two-view: refuses to build without a loss', async () => {
    const encoder = createSmallCnn({ widths: [8], strides: [1], seed: 2 });
    await expect(
      builtinMethods['two-view']?.create({}, { encoder, views: defaultTwoViews(encoder), seed: 1 }),
    ).rejects.toThrow("method 'two-view' needs a loss");
    encoder.dispose();
  });
});
