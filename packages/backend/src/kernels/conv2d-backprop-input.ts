import * as tf from '@tensorflow/tfjs-core';
import { composedKernel, type KernelScope } from './kernel-scope.js';

/** One output phase of a strided transposed convolution along one axis. */
export interface AxisPhase {
  /** Filter taps of this phase: rows r, r + s, r + 2s, … of the filter. */
  taps: number;
  /** First filter row of the phase. */
  firstTap: number;
  /** Rows of dy to pad before (negative: to crop) so the phase convolution is a valid one. */
  padBefore: number;
  padAfter: number;
  /** Rows of dx this phase produces; row t lands on dx row t·s + offset. */
  count: number;
  offset: number;
}

/**
 * The s phases of one axis of dx = conv2dTranspose(dy, W): with p = h + padBefore = q·s + r, the
 * rows of phase r are
 *
 *   dx[q·s + r − padBefore] = Σ_j dy[q − j] · W[r + j·s]
 *
 * a valid stride-1 correlation of (padded) dy with the taps r, r + s, … of W in reverse order.
 */
export function axisPhases(
  inSize: number,
  outSize: number,
  filterSize: number,
  stride: number,
  padBefore: number,
): AxisPhase[] {
  const phases: AxisPhase[] = [];
  for (let r = 0; r < stride; r++) {
    const taps = Math.max(0, Math.ceil((filterSize - r) / stride));
    const firstQ = Math.ceil((padBefore - r) / stride);
    const lastQ = Math.floor((inSize - 1 + padBefore - r) / stride);
    const count = Math.max(0, lastQ - firstQ + 1);
    const before = taps - 1 - firstQ;
    phases.push({
      taps,
      firstTap: r,
      padBefore: before,
      padAfter: count + taps - 1 - outSize - before,
      count,
      offset: firstQ * stride + r - padBefore,
    });
  }
  return phases;
}

/**
 * The sub-filter of one phase: taps (rowPhase.firstTap + j·sh, colPhase.firstTap + k·sw) of W
 * [FH, FW, A, B], reversed in both spatial axes and transposed to [JH, JW, B, A] — the forward
 * filter of the phase's correlation over dy.
 */
export function phaseFilter(
  scope: KernelScope,
  filter: tf.TensorInfo,
  rows: AxisPhase,
  cols: AxisPhase,
  strideH: number,
  strideW: number,
): tf.TensorInfo {
  const [, , a, b] = filter.shape as [number, number, number, number];
  const taps = scope.run(
    tf.StridedSlice,
    { x: filter },
    {
      begin: [rows.firstTap, cols.firstTap, 0, 0],
      end: [rows.firstTap + (rows.taps - 1) * strideH + 1, cols.firstTap + (cols.taps - 1) * strideW + 1, a, b],
      strides: [strideH, strideW, 1, 1],
      beginMask: 0,
      endMask: 0,
      ellipsisMask: 0,
      newAxisMask: 0,
      shrinkAxisMask: 0,
    },
  );
  return scope.transpose(scope.reverse(taps, [0, 1]), [0, 1, 3, 2]);
}

/**
 * A stride-1 convolution (`Conv2D` or `DepthwiseConv2dNative`) of dy padded (or cropped) by the
 * phase's amounts, the padding done by XNNPACK itself.
 */
export function paddedConv(
  scope: KernelScope,
  kernelName: typeof tf.Conv2D | typeof tf.DepthwiseConv2dNative,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  rows: AxisPhase,
  cols: AxisPhase,
  dilations: [number, number] = [1, 1],
): tf.TensorInfo {
  let input = dy;
  if (rows.padBefore < 0 || rows.padAfter < 0 || cols.padBefore < 0 || cols.padAfter < 0) {
    input = scope.padOrCrop(dy, [
      [0, 0],
      [Math.min(0, rows.padBefore), Math.min(0, rows.padAfter)],
      [Math.min(0, cols.padBefore), Math.min(0, cols.padAfter)],
      [0, 0],
    ]);
  }
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(0, rows.padBefore), Math.max(0, rows.padAfter)],
    [Math.max(0, cols.padBefore), Math.max(0, cols.padAfter)],
    [0, 0],
  ];
  return scope.run(
    kernelName,
    { x: input, filter },
    { strides: [1, 1], pad, dataFormat: 'NHWC', dilations, dimRoundingMode: undefined },
  );
}

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
  const {
    strideHeight,
    strideWidth,
    inHeight,
    inWidth,
    outHeight,
    outWidth,
    filterHeight,
    filterWidth,
    batchSize,
    inChannels,
  } = info;
  const rowPhases = axisPhases(inHeight, outHeight, filterHeight, strideHeight, info.padInfo.top);
  const colPhases = axisPhases(inWidth, outWidth, filterWidth, strideWidth, info.padInfo.left);
  if (strideHeight === 1 && strideWidth === 1) {
    return paddedConv(
      scope,
      tf.Conv2D,
      dy,
      phaseFilter(scope, filter, rowPhases[0] as AxisPhase, colPhases[0] as AxisPhase, 1, 1),
      rowPhases[0] as AxisPhase,
      colPhases[0] as AxisPhase,
    );
  }
  const dx = scope.output([batchSize, inHeight, inWidth, inChannels]);
  const everyPixelWritten = [...rowPhases, ...colPhases].every((phase) => phase.taps > 0 || phase.count === 0);
  if (!everyPixelWritten) {
    scope.simd.fillZero(scope.offset(dx), tf.util.sizeFromShape(dx.shape));
  }
  for (const rows of rowPhases) {
    for (const cols of colPhases) {
      if (rows.count === 0 || cols.count === 0 || rows.taps === 0 || cols.taps === 0) continue;
      const phase = paddedConv(
        scope,
        tf.Conv2D,
        dy,
        phaseFilter(scope, filter, rows, cols, strideHeight, strideWidth),
        rows,
        cols,
      );
      scope.simd.scatterStrided(
        scope.offset(phase),
        batchSize,
        rows.count,
        cols.count,
        inChannels,
        scope.offset(dx),
        inHeight,
        inWidth,
        strideHeight,
        strideWidth,
        rows.offset,
        cols.offset,
      );
      scope.release(phase);
    }
  }
  return dx;
}

/** `Conv2DBackpropInput` for wasm: replaces the backend's naive loop kernel. */
export const conv2dBackpropInputKernel: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: composedKernel((scope, { inputs, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (dataFormat !== 'NHWC') {
      throw new Error(`selfsup wasm Conv2DBackpropInput: dataFormat ${dataFormat} is not supported, only NHWC`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      inputShape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    return conv2dBackpropInputBody(scope, dy, filter, info);
  }),
};
