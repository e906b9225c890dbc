import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend.js';
import { assertNoTensorLeak } from '../memory.js';
import { maxRelativeError, randomValues, runOn } from '../testing/backend-parity.js';
import { batchNormTraining } from './batch-norm-training.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const lossOf = (relu: boolean) => (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, weights: tf.Tensor) =>
  tf.grads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(batchNormTraining(xi, g, b, { relu }), weights)),
  )([x, gamma, beta]);

describe('batchNormTraining', () => {
  for (const [shape, relu] of [
    [[8, 5, 5, 6], false],
    [[8, 5, 5, 6], true],
    [[64, 3], true],
    [[4, 3, 3, 32], true],
  ] as Array<[number[], boolean]>) {
    it(`fused wasm kernels match the composed cpu ops: [${shape}] relu=${relu}`, async () => {
      const channels = shape[shape.length - 1] as number;
      const x = randomValues(shape, 40);
      // Shift the data so the mean is far from zero: the centred formulas must keep precision.
      x.values.forEach((v, i) => {
        x.values[i] = 3 + 0.5 * v;
      });
      const inputs = [x, randomValues([channels], 41), randomValues([channels], 42), randomValues(shape, 43)];
      const forward = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormTraining(xs, g, b, { relu });
      const [expectedY] = await runOn('cpu', inputs.slice(0, 3), forward);
      const [actualY] = await runOn('wasm', inputs.slice(0, 3), forward);
      expect(maxRelativeError(actualY!, expectedY!)).toBeLessThan(1e-4);
      const expected = await runOn('cpu', inputs, lossOf(relu));
      const actual = await runOn('wasm', inputs, lossOf(relu));
      actual.forEach((output, i) => {
        expect(maxRelativeError(output, expected[i]!)).toBeLessThan(1e-3);
      });
    });
  }

  it('normalizes to zero mean and unit variance per channel', () => {
    const y = tf.tidy(() => {
      const x = tf.add(tf.mul(tf.randomNormal([16, 4, 4, 3], 0, 1, 'float32', 3), 5), 7);
      return batchNormTraining(x, tf.ones([3]), tf.zeros([3]));
    });
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    for (const m of mean.dataSync()) expect(Math.abs(m)).toBeLessThan(1e-4);
    for (const v of variance.dataSync()) expect(v).toBeCloseTo(1, 3);
    tf.dispose([y, mean, variance]);
  });

  it('updates running statistics like PyTorch (momentum 0.1, unbiased variance)', () => {
    const runningMean = tf.variable(tf.zeros([2]));
    const runningVariance = tf.variable(tf.ones([2]));
    const x = tf.tensor2d([1, 10, 3, 20, 5, 30], [3, 2]);
    tf.tidy(() => batchNormTraining(x, tf.ones([2]), tf.zeros([2]), { runningMean, runningVariance }));
    expect(Array.from(runningMean.dataSync())).toEqual([0.3, 2].map(Math.fround));
    // unbiased variances 4 and 100 → 0.9·1 + 0.1·v
    const variance = runningVariance.dataSync();
    expect(variance[0]).toBeCloseTo(1.3, 5);
    expect(variance[1]).toBeCloseTo(10.9, 4);
    tf.dispose([runningMean, runningVariance, x]);
  });

  it('leaks nothing, forward and backward', async () => {
    const x = tf.randomNormal([8, 4, 4, 8]);
    const gamma = tf.ones([8]);
    const beta = tf.zeros([8]);
    await assertNoTensorLeak('batchNormTraining', () => batchNormTraining(x, gamma, beta, { relu: true }));
    await assertNoTensorLeak('batchNormTraining gradients', () =>
      tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(batchNormTraining(a, g, b, { relu: true })))([
        x,
        gamma,
        beta,
      ]),
    );
    tf.dispose([x, gamma, beta]);
  });

  it('rejects mismatched shapes with a clear message', () => {
    expect(() => batchNormTraining(tf.zeros([2, 3]), tf.ones([4]), tf.zeros([4]))).toThrow(
      /x must be \[..., C\] with gamma and beta \[C\]; got x \[2,3\], gamma \[4\]/,
    );
  });
});
