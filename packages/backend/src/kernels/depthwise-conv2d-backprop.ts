import * as tf from '@tensorflow/tfjs-core';
import { phaseFilters, phaseGeometry } from './conv2d-backprop-input.js';
import { composedKernel, type KernelScope } from './kernel-scope.js';

function depthwiseInfo(
  inputShape: number[],
  filterShape: number[],
  attrs: Pick<tf.DepthwiseConv2dNativeBackpropFilterAttrs, 'strides' | 'dilations' | 'pad' | 'dimRoundingMode'>,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
}

function depthwise(
  scope: KernelScope,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  strides: [number, number],
  dilations: [number, number],
): tf.TensorInfo {
  return scope.run(
    'DepthwiseConv2dNative',
    { x, filter },
    { strides, pad: 'valid', dilations, dimRoundingMode: undefined, dataFormat: 'NHWC' },
  );
}

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
  const perImage = depthwise(scope, xChannels, dyFilter, [dilationHeight, dilationWidth], [strideHeight, strideWidth]);
  const split = scope.reshape(perImage, [filterHeight, filterWidth, inChannels, batchSize, multiplier]);
  return scope.run(tf.Sum, { x: split }, { axis: [3], keepDims: false });
}

/**
 * Input gradient of a depthwise convolution. Stride 1 (any dilation): a depthwise convolution of
 * padded dy with the flipped filter. Stride s > 1: the sub-pixel decomposition of
 * {@link conv2dBackpropInputBody}, each dy channel giving s² phase channels. With a channel
 * multiplier M the M products of each input channel are summed.
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
  const dyChannels = inChannels * multiplier;
  // tfjs allows dilation only with stride 1.
  const effectiveHeight = (filterHeight - 1) * dilationHeight + 1;
  const effectiveWidth = (filterWidth - 1) * dilationWidth + 1;
  const rows = phaseGeometry({
    inSize: inHeight,
    outSize: outHeight,
    filterSize: effectiveHeight,
    stride: strideHeight,
    padBefore: info.padInfo.top,
  });
  const cols = phaseGeometry({
    inSize: inWidth,
    outSize: outWidth,
    filterSize: effectiveWidth,
    stride: strideWidth,
    padBefore: info.padInfo.left,
  });
  // With stride 1 the geometry of a dilated filter is that of an undilated one of the effective
  // size: one phase, E − 1 rows of dy padding before.
  const dyPadded = scope.padOrCrop(dy, [
    [0, 0],
    [rows.dyPadBefore, rows.dyPadAfter],
    [cols.dyPadBefore, cols.dyPadAfter],
    [0, 0],
  ]);
  // The filter as [FH, FW, C·M, 1] so every dy channel gets its own kernel; phaseFilters then
  // gives [J, J', 1, s²·C·M] → [J, J', C·M, s²].
  const perChannel = scope.reshape(filter, [filterHeight, filterWidth, dyChannels, 1]);
  const phases = strideHeight * strideWidth;
  const phased = phaseFilters(scope, perChannel, strideHeight, strideWidth);
  const [tapsHeight, tapsWidth] = phased.shape as [number, number];
  const phaseFilter = scope.reshape(
    scope.transpose(scope.reshape(phased, [tapsHeight, tapsWidth, phases, dyChannels]), [0, 1, 3, 2]),
    [tapsHeight, tapsWidth, dyChannels, phases],
  );
  // [N, Q, Q', C·M·s²] with channel (c·M + m)·s² + r.
  const convolved = depthwise(scope, dyPadded, phaseFilter, [1, 1], [dilationHeight, dilationWidth]);
  const [, gridRows, gridCols] = convolved.shape as [number, number, number];
  const summed = scope.run(
    'Sum',
    { x: scope.reshape(convolved, [batchSize, gridRows, gridCols, inChannels, multiplier, phases]) },
    { axis: [4], keepDims: false },
  );
  // [N, Q, Q', s², C] → interleave phases.
  const phaseMajor = scope.transpose(summed, [0, 1, 2, 4, 3]);
  let grid: tf.TensorInfo;
  if (phases === 1) {
    grid = scope.reshape(phaseMajor, [batchSize, gridRows, gridCols, inChannels]);
  } else {
    const split = scope.reshape(phaseMajor, [batchSize, gridRows, gridCols, strideHeight, strideWidth * inChannels]);
    grid = scope.reshape(scope.transpose(split, [0, 1, 3, 2, 4]), [
      batchSize,
      gridRows * strideHeight,
      gridCols * strideWidth,
      inChannels,
    ]);
  }
  const { top, left } = info.padInfo;
  return scope.padOrCrop(grid, [
    [0, 0],
    [-top, inHeight + top - (grid.shape[1] as number)],
    [-left, inWidth + left - (grid.shape[2] as number)],
    [0, 0],
  ]);
}

/** `DepthwiseConv2dNativeBackpropFilter` for wasm (missing from tfjs-backend-wasm 4.22). */
export const depthwiseConv2dBackpropFilterKernel: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: composedKernel((scope, { inputs, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const typed = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    return depthwiseBackpropFilterBody(scope, x, dy, depthwiseInfo(x.shape, typed.filterShape, typed));
  }),
};

/** `DepthwiseConv2dNativeBackpropInput` for wasm (missing from tfjs-backend-wasm 4.22). */
export const depthwiseConv2dBackpropInputKernel: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: composedKernel((scope, { inputs, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const typed = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    return depthwiseBackpropInputBody(scope, dy, filter, depthwiseInfo(typed.inputShape, filter.shape, typed));
  }),
};
