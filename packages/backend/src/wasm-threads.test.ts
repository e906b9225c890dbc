import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { batchNormTraining } from './ops/batch-norm-training.js';
import { maxRelativeError, randomValues, runOn } from './testing/backend-parity.js';

// This file starts the threaded build; vitest runs each test file in its own process here.
beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  const info = await initBackend({ backend: 'wasm', wasmThreads: 2, log: false });
  expect(info.threads).toBe(2);
});

describe('wasm with 2 threads', () => {
  it('runs the training kernels (XNNPACK and selfsup SIMD in shared memory) like cpu', async () => {
    const inputs = [
      randomValues([4, 12, 12, 3], 1),
      randomValues([3, 3, 3, 8], 2),
      randomValues([8], 3),
      randomValues([8], 4),
    ];
    const step = (x: tf.Tensor, w: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.grads((xi: tf.Tensor, wi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
        const h = batchNormTraining(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 2, 'same'), gi, bi, { relu: true });
        return tf.sum(tf.square(tf.transpose(h, [3, 1, 2, 0])));
      })([x, w, g, b]);
    const expected = await runOn('cpu', inputs, step);
    const actual = await runOn('wasm', inputs, step);
    actual.forEach((output, i) => {
      expect(maxRelativeError(output, expected[i] as (typeof expected)[number])).toBeLessThan(1e-3);
    });
  });

  it('a process that starts 2 threads exits by itself', () => {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'threaded-exit.ts');
    const run = spawnSync('npx', ['tsx', '--conditions=@selfsup/source', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('threads 2, matMul ok');
  });
});
