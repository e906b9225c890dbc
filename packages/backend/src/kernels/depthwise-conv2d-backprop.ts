import * as tf from '@tensorflow/tfjs-core';
import { convGradientInfo } from './conv-gradient-info.js';
import { type KernelScope, wasmKernel } from './kernel-scope.js';
import { type AxisPhase, assemblePhases, axisPhases, paddedConv, phaseFilter } from './transposed-conv-phases.js';

/**
 * Filter gradient of a depthwise convolution as one depthwise convolution: each (channel, image)
 * pair becomes a channel of a batch-1 input, dy becomes the filter, and a sum over images folds
 * the result.
 *
 *   dW[fh, fw, c, m] = Σ_{n, oh, ow} x_pad[n, oh·s + fh·d, ow·s + fw·d, c] · dy[n, oh, ow, c·M + m]
 *
 * The forward stride s becomes the dilation and the forward dilation d the stride (tfjs allows
 * only one of them above 1). Inputs x [N, H, W, C], dy [N, OH, OW, C·M]; output [FH, FW, C, M].
 */
export function depthwiseBackpropFilterBody(
  scope: KernelScope,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const {
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    filterHeight,
    filterWidth,
    outHeight,
    outWidth,
    inChannels,
    batchSize,
  } = info;
  const multiplier = info.outChannels / inChannels;
  const neededHeight = (outHeight - 1) * strideHeight + (filterHeight - 1) * dilationHeight + 1;
  const neededWidth = (outWidth - 1) * strideWidth + (filterWidth - 1) * dilationWidth + 1;
  const [, height, width] = x.shape as [number, number, number, number];
  const xWindow = scope.padOrCrop(x, [
    [0, 0],
    [info.padInfo.top, neededHeight - height - info.padInfo.top],
    [info.padInfo.left, neededWidth - width - info.padInfo.left],
    [0, 0],
  ]);
  // [1, Hn, Wn, C·N]: channel index c·N + n.
  const xChannels = scope.reshape(scope.transpose(xWindow, [1, 2, 3, 0]), [
    1,
    neededHeight,
    neededWidth,
    inChannels * batchSize,
  ]);
  // [OH, OW, C·N, M]
  const dySplit = scope.reshape(dy, [batchSize, outHeight, outWidth, inChannels, multiplier]);
  const dyFilter = scope.reshape(scope.transpose(dySplit, [1, 2, 3, 0, 4]), [
    outHeight,
    outWidth,
    inChannels * batchSize,
    multiplier,
  ]);
  const perImage = scope.run(
    tf.DepthwiseConv2dNative,
    { x: xChannels, filter: dyFilter },
    {
      strides: [dilationHeight, dilationWidth],
      pad: 'valid',
      dilations: [strideHeight, strideWidth],
      dimRoundingMode: undefined,
      dataFormat: 'NHWC',
    },
  );
  const split = scope.reshape(perImage, [filterHeight, filterWidth, inChannels, batchSize, multiplier]);
  return scope.run(tf.Sum, { x: split }, { axis: [3], keepDims: false });
}

/**
 * Input gradient of a depthwise convolution with the sub-pixel phases of
 * {@link conv2dBackpropInputBody}: each phase is a depthwise convolution of dy with the phase's
 * taps of the filter (dy channel c·M + m convolved with W[·, ·, c, m]), the M products of each
 * input channel summed, and the phase placed at dx[t·s + r]. Stride 1 with dilation d is one
 * dilated depthwise convolution with the flipped filter.
 *
 * Inputs dy [N, OH, OW, C·M], filter [FH, FW, C, M]; output [N, H, W, C].
 */
export function depthwiseBackpropInputBody(
  scope: KernelScope,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const {
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    inHeight,
    inWidth,
    outHeight,
    outWidth,
    filterHeight,
    filterWidth,
    inChannels,
    batchSize,
  } = info;
  const multiplier = info.outChannels / inChannels;
  // tfjs allows dilation only with stride 1; a dilated filter has the geometry of its effective size.
  const rowPhases = axisPhases(
    inHeight,
    outHeight,
    (filterHeight - 1) * dilationHeight + 1,
    strideHeight,
    info.padInfo.top,
  );
  const colPhases = axisPhases(
    inWidth,
    outWidth,
    (filterWidth - 1) * dilationWidth + 1,
    strideWidth,
    info.padInfo.left,
  );
  // Each dy channel gets its own kernel: [FH, FW, C·M, 1].
  const perChannel = scope.reshape(filter, [filterHeight, filterWidth, inChannels * multiplier, 1]);
  const phaseOutput = (rows: AxisPhase, cols: AxisPhase): tf.TensorInfo => {
    const dilated = dilationHeight > 1 || dilationWidth > 1;
    const taps = dilated
      ? { rows: { ...rows, taps: filterHeight }, cols: { ...cols, taps: filterWidth } }
      : { rows, cols };
    const subFilter = phaseFilter(scope, perChannel, taps.rows, taps.cols, strideHeight, strideWidth);
    // phaseFilter transposes [JH, JW, C·M, 1] to [JH, JW, 1, C·M]; depthwise wants [JH, JW, C·M, 1].
    const depthwiseFilter = scope.reshape(subFilter, [taps.rows.taps, taps.cols.taps, inChannels * multiplier, 1]);
    const convolved = paddedConv(scope, tf.DepthwiseConv2dNative, dy, depthwiseFilter, rows, cols, [
      dilationHeight,
      dilationWidth,
    ]);
    if (multiplier === 1) return convolved;
    const [, gridRows, gridCols] = convolved.shape as [number, number, number];
    return scope.run(
      tf.Sum,
      { x: scope.reshape(convolved, [batchSize, gridRows, gridCols, inChannels, multiplier]) },
      { axis: [4], keepDims: false },
    );
  };
  return assemblePhases(scope, info, rowPhases, colPhases, phaseOutput);
}

/** `DepthwiseConv2dNativeBackpropFilter` for wasm (missing from tfjs-backend-wasm 4.22). */
export const depthwiseConv2dBackpropFilterKernel: tf.KernelConfig = wasmKernel(
  tf.DepthwiseConv2dNativeBackpropFilter,
  (scope, { inputs, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const typed = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    const info = convGradientInfo(tf.DepthwiseConv2dNativeBackpropFilter, x.shape, typed.filterShape, typed, true);
    return depthwiseBackpropFilterBody(scope, x, dy, info);
  },
);

/** `DepthwiseConv2dNativeBackpropInput` for wasm (missing from tfjs-backend-wasm 4.22). */
export const depthwiseConv2dBackpropInputKernel: tf.KernelConfig = wasmKernel(
  tf.DepthwiseConv2dNativeBackpropInput,
  (scope, { inputs, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const typed = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    const info = convGradientInfo(tf.DepthwiseConv2dNativeBackpropInput, typed.inputShape, filter.shape, typed, true);
    return depthwiseBackpropInputBody(scope, dy, filter, info);
  },
);
