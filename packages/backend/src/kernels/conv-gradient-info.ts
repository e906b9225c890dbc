import * as tf from '@tensorflow/tfjs-core';

/** The attributes the gradient kernels of `Conv2D` and `DepthwiseConv2dNative` share. */
export interface ConvGradientAttrs {
  strides: number | [number, number];
  pad: tf.Conv2DBackpropInputAttrs['pad'];
  dimRoundingMode?: tf.Conv2DBackpropInputAttrs['dimRoundingMode'];
  /** Only `NHWC`; the depthwise gradients have no such attribute (they are channels last). */
  dataFormat?: string;
  /** The depthwise gradients' forward dilation (`Conv2D`'s gradients take none: 1). */
  dilations?: number | [number, number];
}

/**
 * The geometry of the convolution whose gradient `kernelName` computes: x [N, H, W, Cin] and
 * filter [FH, FW, Cin, Cout] (depthwise: [FH, FW, C, M]), channels last.
 *
 * @throws for a data format other than NHWC, naming the kernel.
 */
export function convGradientInfo(
  kernelName: string,
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvGradientAttrs,
  depthwise = false,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error(`selfsup wasm ${kernelName}: dataFormat ${attrs.dataFormat} is not supported, only NHWC`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
}
