import * as tf from '@tensorflow/tfjs-core';
import { composedKernel, type KernelScope } from './kernel-scope.js';

/**
 * The padding on each side of a convolution's input, from tfjs's own shape logic, so the
 * gradient kernels agree with the forward kernel for every `pad` form tfjs accepts.
 */
export function convPadding(info: tf.backend_util.Conv2DInfo): { top: number; left: number } {
  return { top: info.padInfo.top, left: info.padInfo.left };
}

/**
 * The filter gradient of a 2-D convolution computed as another convolution ("transpose trick"):
 *
 *   dW[fh, fw, ci, co] = Σ_{n, oh, ow} x_pad[n, oh·s + fh, ow·s + fw, ci] · dy[n, oh, ow, co]
 *
 * is a valid, stride-1 convolution of x_pad transposed to [Cin, H, W, N] (the input channels
 * become the batch, the batch becomes the channels) with dy transposed to [OH, OW, N, Cout] as the
 * filter, dilated by the forward stride s. The result [Cin, FH, FW, Cout] is transposed back.
 * XNNPACK runs the dilated convolution without multiplying by inserted zeros.
 *
 * Inputs: x [N, H, W, Cin], dy [N, OH, OW, Cout]. Output: [FH, FW, Cin, Cout].
 */
export function conv2dBackpropFilterBody(
  scope: KernelScope,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { top, left } = convPadding(info);
  const { strideHeight, strideWidth, filterHeight, filterWidth, outHeight, outWidth } = info;
  const neededHeight = (outHeight - 1) * strideHeight + filterHeight;
  const neededWidth = (outWidth - 1) * strideWidth + filterWidth;
  const [, height, width] = x.shape as [number, number, number, number];
  const xWindow = scope.padOrCrop(x, [
    [0, 0],
    [top, neededHeight - height - top],
    [left, neededWidth - width - left],
    [0, 0],
  ]);
  const xT = scope.transpose(xWindow, [3, 1, 2, 0]);
  const dyT = scope.transpose(dy, [1, 2, 0, 3]);
  const dwT = scope.run(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: 'valid',
      dataFormat: 'NHWC',
      dilations: [strideHeight, strideWidth],
      dimRoundingMode: undefined,
    },
  );
  return scope.transpose(dwT, [1, 2, 0, 3]);
}

/** `Conv2DBackpropFilter` for wasm (missing from tfjs-backend-wasm 4.22). */
export const conv2dBackpropFilterKernel: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: composedKernel((scope, { inputs, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC') {
      throw new Error(`selfsup wasm Conv2DBackpropFilter: dataFormat ${dataFormat} is not supported, only NHWC`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    return conv2dBackpropFilterBody(scope, x, dy, info);
  }),
};
