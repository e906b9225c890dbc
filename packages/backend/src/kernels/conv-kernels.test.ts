import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend.js';
import { maxRelativeError, randomValues, runOn } from '../testing/backend-parity.js';

const TOLERANCE = 1e-4;

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await initBackend({ backend: 'wasm', log: false });
});

async function expectParity(
  inputs: Array<{ shape: number[]; values: Float32Array | Int32Array }>,
  compute: (...tensors: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<void> {
  const expected = await runOn('cpu', inputs, compute);
  const actual = await runOn('wasm', inputs, compute);
  expect(actual.length).toBe(expected.length);
  actual.forEach((output, i) => {
    expect(maxRelativeError(output, expected[i] as (typeof expected)[number])).toBeLessThan(TOLERANCE);
  });
}

/** One kernel through the engine, as tfjs's gradients call it. */
function runKernel(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(kernelName, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
}

type Pad = 'same' | 'valid' | number;
const convCases: Array<{ x: number[]; filter: number[]; stride: number | [number, number]; pad: Pad }> = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'valid' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { x: [2, 10, 10, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'valid' },
  { x: [2, 10, 8, 2], filter: [4, 2, 2, 5], stride: 2, pad: 'valid' },
  { x: [1, 11, 11, 2], filter: [5, 5, 2, 3], stride: 3, pad: 'same' },
  { x: [3, 7, 7, 4], filter: [1, 1, 4, 6], stride: 2, pad: 'same' },
  { x: [2, 8, 9, 3], filter: [3, 3, 3, 2], stride: [2, 1], pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 2], stride: 1, pad: 1 },
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 8], stride: 1, pad: 'same' },
];

describe('Conv2DBackpropFilter and Conv2DBackpropInput on wasm match cpu', () => {
  for (const { x, filter, stride, pad } of convCases) {
    it(`x [${x}] filter [${filter}] stride ${stride} pad ${pad}`, async () => {
      const xValues = randomValues(x, 1);
      const filterValues = randomValues(filter, 2);
      const outShape = tf.tidy(
        () =>
          tf.conv2d(
            tf.zeros(x as [number, number, number, number]) as tf.Tensor4D,
            tf.zeros(filter as [number, number, number, number]) as tf.Tensor4D,
            stride,
            pad,
          ).shape,
      );
      const dyValues = randomValues(outShape, 3);
      const attrs = { strides: stride, pad, dataFormat: 'NHWC' };
      await expectParity([xValues, dyValues], (xs, dy) =>
        runKernel(tf.Conv2DBackpropFilter, { x: xs, dy }, { ...attrs, filterShape: filter }),
      );
      await expectParity([dyValues, filterValues], (dy, w) =>
        runKernel(tf.Conv2DBackpropInput, { dy, filter: w }, { ...attrs, inputShape: x }),
      );
    });
  }

  it('gradients of a strided conv stack through tf.grads', async () => {
    const xValues = randomValues([2, 12, 12, 3], 4);
    const w1 = randomValues([3, 3, 3, 8], 5);
    const w2 = randomValues([3, 3, 8, 6], 6);
    await expectParity([xValues, w1, w2], (x, a, b) => {
      const grads = tf.grads((xi: tf.Tensor, ai: tf.Tensor, bi: tf.Tensor) => {
        const h = tf.tanh(tf.conv2d(xi as tf.Tensor4D, ai as tf.Tensor4D, 2, 'same'));
        return tf.sum(tf.square(tf.conv2d(h, bi as tf.Tensor4D, 2, 'same')));
      });
      return grads([x as tf.Tensor, a as tf.Tensor, b as tf.Tensor]);
    });
  });
});

const depthwiseCases: Array<{ x: number[]; filter: number[]; stride: number; dilation: number; pad: Pad }> = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 1], stride: 1, dilation: 1, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 2], stride: 1, dilation: 1, pad: 'valid' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 1], stride: 2, dilation: 1, pad: 'same' },
  { x: [2, 10, 10, 2], filter: [3, 3, 2, 3], stride: 2, dilation: 1, pad: 'valid' },
  { x: [2, 11, 11, 2], filter: [3, 3, 2, 2], stride: 1, dilation: 2, pad: 'same' },
  { x: [1, 12, 12, 3], filter: [3, 3, 3, 1], stride: 1, dilation: 3, pad: 'valid' },
  { x: [2, 8, 8, 4], filter: [5, 5, 4, 1], stride: 2, dilation: 1, pad: 'same' },
];

/**
 * Reference gradients of a dilated depthwise convolution: the same convolution with the filter
 * upsampled by zeros and no dilation, differentiated by tfjs's autodiff on cpu. (tfjs-backend-cpu's
 * own depthwise backprop kernels are wrong for dilation > 1, so they cannot be the reference.)
 */
function dilatedDepthwiseReference(filterShape: number[], dilation: number, pad: Pad) {
  const [fh, fw, channels, multiplier] = filterShape as [number, number, number, number];
  return (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor): tf.Tensor[] => {
    const upsampled = tf.buffer([(fh - 1) * dilation + 1, (fw - 1) * dilation + 1, channels, multiplier]);
    const weights = w.bufferSync();
    for (let i = 0; i < fh; i++)
      for (let j = 0; j < fw; j++)
        for (let c = 0; c < channels; c++)
          for (let m = 0; m < multiplier; m++) upsampled.set(weights.get(i, j, c, m), i * dilation, j * dilation, c, m);
    const [dx, dwUpsampled] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad), dy)),
    )([x, upsampled.toTensor()]);
    const dwBuffer = (dwUpsampled as tf.Tensor).bufferSync();
    const dw = tf.buffer(filterShape);
    for (let i = 0; i < fh; i++)
      for (let j = 0; j < fw; j++)
        for (let c = 0; c < channels; c++)
          for (let m = 0; m < multiplier; m++) dw.set(dwBuffer.get(i * dilation, j * dilation, c, m), i, j, c, m);
    return [dx as tf.Tensor, dw.toTensor()];
  };
}

describe('depthwise conv backprop kernels on wasm match cpu', () => {
  for (const { x, filter, stride, dilation, pad } of depthwiseCases) {
    it(`x [${x}] filter [${filter}] stride ${stride} dilation ${dilation} pad ${pad}`, async () => {
      const xValues = randomValues(x, 7);
      const filterValues = randomValues(filter, 8);
      const outShape = tf.tidy(
        () =>
          tf.depthwiseConv2d(
            tf.zeros(x as [number, number, number, number]) as tf.Tensor4D,
            tf.zeros(filter as [number, number, number, number]) as tf.Tensor4D,
            stride,
            pad,
            'NHWC',
            dilation,
          ).shape,
      );
      const dyValues = randomValues(outShape, 9);
      const attrs = { strides: [stride, stride], dilations: [dilation, dilation], pad };
      const filterGradient = (xs: tf.Tensor, dy: tf.Tensor) =>
        runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x: xs, dy }, { ...attrs, filterShape: filter });
      const inputGradient = (dy: tf.Tensor, w: tf.Tensor) =>
        runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: w }, { ...attrs, inputShape: x });
      if (dilation === 1) {
        await expectParity([xValues, dyValues], filterGradient);
        await expectParity([dyValues, filterValues], inputGradient);
        return;
      }
      const [dxExpected, dwExpected] = await runOn(
        'cpu',
        [xValues, filterValues, dyValues],
        dilatedDepthwiseReference(filter, dilation, pad),
      );
      const [dwActual] = await runOn('wasm', [xValues, dyValues], filterGradient);
      const [dxActual] = await runOn('wasm', [dyValues, filterValues], inputGradient);
      expect(maxRelativeError(dwActual!, dwExpected!)).toBeLessThan(TOLERANCE);
      expect(maxRelativeError(dxActual!, dxExpected!)).toBeLessThan(TOLERANCE);
    });
  }

  it('gradients of a separable conv through tf.grads', async () => {
    const xValues = randomValues([2, 10, 10, 3], 10);
    const depth = randomValues([3, 3, 3, 2], 11);
    const point = randomValues([1, 1, 6, 5], 12);
    await expectParity([xValues, depth, point], (x, d, p) =>
      tf.grads((xi: tf.Tensor, di: tf.Tensor, pi: tf.Tensor) =>
        tf.sum(tf.square(tf.separableConv2d(xi as tf.Tensor4D, di as tf.Tensor4D, pi as tf.Tensor4D, 2, 'same'))),
      )([x as tf.Tensor, d as tf.Tensor, p as tf.Tensor]),
    );
  });
});
