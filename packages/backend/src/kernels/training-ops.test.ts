import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend.js';
import { maxRelativeError, randomValues, runOn } from '../testing/backend-parity.js';
import { TRAINING_OP_CASES, valueAndGradients } from '../testing/training-op-cases.js';

/**
 * Every gradient the planned models need runs on wasm (with selfsup's kernels) and matches cpu:
 * conv, depthwise/separable conv, dense, batch norm, layer norm, embedding (gather), max/avg
 * pooling, dropout (with a fixed mask), softmax/log-softmax, GELU and attention. Smooth
 * activations (tanh) keep the comparison free of ReLU kinks.
 */
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

type Case = [string, number[][], (...xs: tf.Tensor[]) => tf.Scalar];
const cases: Case[] = [
  [
    'conv2d',
    [
      [2, 8, 8, 3],
      [3, 3, 3, 4],
    ],
    (x, w) => tf.sum(tf.tanh(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'))),
  ],
  [
    'depthwise + pointwise (separable)',
    [
      [2, 8, 8, 3],
      [3, 3, 3, 2],
      [1, 1, 6, 4],
    ],
    (x, d, p) => tf.sum(tf.tanh(tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 1, 'same'))),
  ],
  [
    'dense',
    [[5, 7], [7, 3], [3]],
    (x, w, b) => tf.sum(tf.tanh(tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b))),
  ],
  [
    'batch norm (moments + batchNorm op)',
    [[4, 5, 5, 3], [3], [3]],
    (x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.sum(tf.tanh(tf.batchNorm(x as tf.Tensor4D, mean, variance, b, g, 1e-5)));
    },
  ],
  [
    'layer norm',
    [[3, 6, 8], [8], [8]],
    (x, g, b) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.sum(tf.tanh(tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-6))), g), b)));
    },
  ],
  [
    'embedding (gather)',
    [[11, 4]],
    (table) =>
      tf.sum(
        tf.tanh(
          tf.gather(
            table as tf.Tensor,
            tf.tensor2d(
              [
                [1, 3, 3],
                [10, 0, 1],
              ],
              [2, 3],
              'int32',
            ),
          ),
        ),
      ),
  ],
  ['max pooling', [[2, 6, 6, 3]], (x) => tf.sum(tf.tanh(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')))],
  [
    'max pooling, padded and overlapping, all-negative windows',
    [[2, 7, 7, 2]],
    (x) => tf.sum(tf.tanh(tf.maxPool(tf.sub(x, 2) as tf.Tensor4D, 3, 2, 'same'))),
  ],
  ['average pooling', [[2, 6, 6, 3]], (x) => tf.sum(tf.tanh(tf.avgPool(x as tf.Tensor4D, 3, 2, 'same')))],
  ['global average pooling', [[2, 5, 5, 4]], (x) => tf.sum(tf.tanh(tf.mean(x, [1, 2])))],
  [
    'dropout (fixed mask)',
    [[4, 6]],
    (x) =>
      tf.sum(
        tf.tanh(
          tf.mul(
            x,
            tf.div(
              tf.tensor2d(
                Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 0 : 1)),
                [4, 6],
              ),
              2 / 3,
            ),
          ),
        ),
      ),
  ],
  [
    'softmax and log-softmax cross-entropy',
    [[5, 7]],
    (x) =>
      tf.add(tf.sum(tf.mul(tf.softmax(x), tf.range(0, 7))), tf.neg(tf.sum(tf.slice(tf.logSoftmax(x), [0, 2], [5, 1])))),
  ],
  [
    'GELU (tanh form) and erf',
    [[4, 5]],
    (x) =>
      tf.sum(
        tf.add(
          tf.mul(
            tf.mul(x, 0.5),
            tf.add(1, tf.tanh(tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI)))),
          ),
          tf.erf(x),
        ),
      ),
  ],
  [
    'multi-head attention (batched matmuls with transposes)',
    [
      [2, 5, 8],
      [8, 24],
    ],
    (x, w) => {
      const qkv = tf.reshape(tf.matMul(tf.reshape(x, [10, 8]), w as tf.Tensor2D), [2, 5, 3, 2, 4]);
      const [q, k, v] = tf.unstack(tf.transpose(qkv, [2, 0, 3, 1, 4])) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const attention = tf.softmax(tf.div(tf.matMul(q, k, false, true), 2));
      return tf.sum(tf.tanh(tf.matMul(attention, v)));
    },
  ],
];

describe('gradients of every model op on wasm match cpu', () => {
  for (const [name, shapes, f] of cases) {
    it(name, async () => {
      const inputs = shapes.map((shape, i) => randomValues(shape, 100 + i));
      const gradients = (...xs: tf.Tensor[]) => tf.grads((...ys: tf.Tensor[]) => f(...ys))(xs);
      const expected = await runOn('cpu', inputs, gradients);
      const actual = await runOn('wasm', inputs, gradients);
      actual.forEach((output, i) => {
        expect(maxRelativeError(output, expected[i] as (typeof expected)[number])).toBeLessThan(1e-4);
      });
    });
  }
});

describe('every training op on wasm matches cpu (the list webgl and webgpu are checked with)', () => {
  for (const testCase of TRAINING_OP_CASES) {
    it(testCase.name, async () => {
      const compute = valueAndGradients(testCase);
      const expected = await runOn('cpu', testCase.inputs, compute);
      const actual = await runOn('wasm', testCase.inputs, compute);
      actual.forEach((output, i) => {
        expect(maxRelativeError(output, expected[i] as (typeof expected)[number])).toBeLessThan(1e-4);
      });
    });
  }
});
