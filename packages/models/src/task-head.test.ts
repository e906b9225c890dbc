import { initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSmallCnn } from './small-cnn.js';
import { headForTask } from './task-head.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe('headForTask', () => {
  it('builds the head a task declares on the encoder’s features: linear and mlp named after the task, custom by the task, none', () => {
    const encoder = createSmallCnn({ inputShape: [8, 8, 1], widths: [4, 8], strides: [1, 2], seed: 1 });
    const linear = headForTask({ id: 'rotation', head: { kind: 'linear', outputSize: 4 } }, encoder, 1);
    const mlp = headForTask({ id: 'jigsaw', head: { kind: 'mlp', hiddenSize: 16, outputSize: 24 } }, encoder, 1);
    const features = tf.zeros([3, encoder.featureSize]) as tf.Tensor2D;
    expect([linear?.name, mlp?.name]).toEqual(['rotation_head', 'jigsaw_head']);
    const logits = linear?.apply(features, { training: false });
    expect(logits?.shape).toEqual([3, 4]);
    const custom = { name: 'made' } as never;
    expect(headForTask({ id: 'x', head: { kind: 'custom', create: () => custom } }, encoder, 1)).toBe(custom);
    expect(headForTask({ id: 'x', head: { kind: 'none' } }, encoder, 1)).toBeUndefined();
    tf.dispose([features, logits as tf.Tensor]);
    linear?.dispose();
    mlp?.dispose();
    encoder.dispose();
  });
});
