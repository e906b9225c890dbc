import * as tf from '@tensorflow/tfjs-core';
import { wasmKernel } from './kernel-scope.js';

/**
 * `MaxPoolGrad` for wasm. tfjs-backend-wasm 4.22's kernel sends the gradient to the first element
 * of a window whose values are all negative (common after batch norm without ReLU), instead of to
 * its maximum; this one follows TensorFlow (first maximum of each window).
 */
export const maxPoolGradKernel: tf.KernelConfig = wasmKernel(tf.MaxPoolGrad, (scope, { inputs, attrs }) => {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = scope.output([...input.shape], 'float32');
  scope.simd.maxPoolGrad(
    scope.offset(input),
    scope.offset(dy),
    scope.offset(dx),
    info.batchSize,
    info.inChannels,
    info.inHeight,
    info.inWidth,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.effectiveFilterHeight,
    info.effectiveFilterWidth,
    info.padInfo.top,
    info.padInfo.left,
  );
  return dx;
});
