import * as tf from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope.js';

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
 * dx [N, H, W, C] of a strided transposed convolution from its sub-pixel phases: `phaseOutput(rows,
 * cols)` is one phase's rows [N, rows.count, cols.count, C], which a SIMD kernel places at
 * dx[t·s + offset]; pixels no phase reaches (a phase without taps) are zero. With stride 1 there is
 * one phase, and it is dx. Shared by the input gradients of the plain and the depthwise convolution.
 */
export function assemblePhases(
  scope: KernelScope,
  info: tf.backend_util.Conv2DInfo,
  rowPhases: readonly AxisPhase[],
  colPhases: readonly AxisPhase[],
  phaseOutput: (rows: AxisPhase, cols: AxisPhase) => tf.TensorInfo,
): tf.TensorInfo {
  const { strideHeight, strideWidth, inHeight, inWidth, batchSize, inChannels } = info;
  if (strideHeight === 1 && strideWidth === 1) return phaseOutput(rowPhases[0] as AxisPhase, colPhases[0] as AxisPhase);
  const dx = scope.output([batchSize, inHeight, inWidth, inChannels]);
  if ([...rowPhases, ...colPhases].some((phase) => phase.taps === 0 && phase.count > 0)) {
    scope.simd.fillZero(scope.offset(dx), tf.util.sizeFromShape(dx.shape));
  }
  for (const rows of rowPhases) {
    for (const cols of colPhases) {
      if (rows.count === 0 || cols.count === 0 || rows.taps === 0 || cols.taps === 0) continue;
      const phase = phaseOutput(rows, cols);
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
