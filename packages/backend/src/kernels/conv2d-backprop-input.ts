import * as tf from '@tensorflow/tfjs-core';
import { convGradientInfo } from './conv-gradient-info.js';
import { type KernelScope, wasmKernel } from './kernel-scope.js';
import { assemblePhases, axisPhases, paddedConv, phaseFilter } from './transposed-conv-phases.js';

/**
 * The input gradient of a 2-D convolution without zero-stuffing: each of the sh×sw output phases
 * of a stride-s convolution is a small stride-1 convolution of dy with a sub-filter (taps r, r+s,
 * …), run by XNNPACK with its own padding; a SIMD kernel places each phase's rows at dx[t·s + r].
 * Exactly the forward convolution's FLOPs (the textbook zero-stuffed form does s² times more).
 * Stride 1 is one convolution with the flipped filter.
 *
 * Inputs: dy [N, OH, OW, Cout], filter [FH, FW, Cin, Cout]. Output: [N, H, W, Cin].
 */
export function conv2dBackpropInputBody(
  scope: KernelScope,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { strideHeight, strideWidth } = info;
  const rowPhases = axisPhases(info.inHeight, info.outHeight, info.filterHeight, strideHeight, info.padInfo.top);
  const colPhases = axisPhases(info.inWidth, info.outWidth, info.filterWidth, strideWidth, info.padInfo.left);
  return assemblePhases(scope, info, rowPhases, colPhases, (rows, cols) =>
    paddedConv(scope, tf.Conv2D, dy, phaseFilter(scope, filter, rows, cols, strideHeight, strideWidth), rows, cols),
  );
}

/** `Conv2DBackpropInput` for wasm: replaces the backend's naive loop kernel. */
export const conv2dBackpropInputKernel: tf.KernelConfig = wasmKernel(
  tf.Conv2DBackpropInput,
  (scope, { inputs, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const typed = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = convGradientInfo(tf.Conv2DBackpropInput, typed.inputShape, filter.shape, typed);
    return conv2dBackpropInputBody(scope, dy, filter, info);
  },
);
