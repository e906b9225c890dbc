import * as tf from '@tensorflow/tfjs-core';
import { adjustHueKernel } from './adjust-hue.js';
import {
  batchNormTrainingGradConfig,
  batchNormTrainingGradKernel,
  batchNormTrainingKernel,
} from './batch-norm-training.js';
import { concatKernel } from './concat.js';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './conv2d-backprop-input.js';
import { cropAndResizeKernel } from './crop-and-resize.js';
import {
  depthwiseConv2dBackpropFilterKernel,
  depthwiseConv2dBackpropInputKernel,
} from './depthwise-conv2d-backprop.js';
import { gatherKernel } from './gather.js';
import { meanKernel, sumKernel } from './leading-axes-reduction.js';
import { batchMatMulKernel, fusedMatMulKernel } from './mat-mul.js';
import { maxPoolGradKernel } from './max-pool-grad.js';
import { oneHotKernel } from './one-hot.js';
import { compileSimdKernels } from './simd/simd-kernels.js';
import { sliceKernel, splitKernel } from './slice.js';
import { tileKernel } from './tile.js';
import { transposeKernel } from './transpose.js';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum.js';

/** Kernels tfjs-backend-wasm 4.22 lacks and that training needs; selfsup adds them. */
export const ADDED_WASM_KERNELS: readonly tf.KernelConfig[] = [
  adjustHueKernel,
  batchNormTrainingKernel,
  batchNormTrainingGradKernel,
  conv2dBackpropFilterKernel,
  depthwiseConv2dBackpropFilterKernel,
  depthwiseConv2dBackpropInputKernel,
  unsortedSegmentSumKernel,
];

/**
 * Kernels tfjs-backend-wasm 4.22 has but that are slow or wrong on training paths; selfsup
 * replaces them, keeping the original for the cases it handles well.
 */
export const REPLACED_WASM_KERNELS: ReadonlyArray<{
  kernelName: string;
  replace: (original: tf.KernelFunc) => tf.KernelConfig;
}> = [
  { kernelName: tf.Conv2DBackpropInput, replace: () => conv2dBackpropInputKernel },
  { kernelName: tf.BatchMatMul, replace: batchMatMulKernel },
  { kernelName: tf._FusedMatMul, replace: fusedMatMulKernel },
  { kernelName: tf.Tile, replace: tileKernel },
  { kernelName: tf.Transpose, replace: transposeKernel },
  { kernelName: tf.Concat, replace: concatKernel },
  { kernelName: tf.Slice, replace: sliceKernel },
  { kernelName: tf.SplitV, replace: splitKernel },
  { kernelName: tf.GatherV2, replace: gatherKernel },
  { kernelName: tf.CropAndResize, replace: cropAndResizeKernel },
  { kernelName: tf.MaxPoolGrad, replace: () => maxPoolGradKernel },
  { kernelName: tf.OneHot, replace: oneHotKernel },
  { kernelName: tf.Sum, replace: sumKernel },
  { kernelName: tf.Mean, replace: meanKernel },
];

let registered = false;

/** Whether {@link registerWasmTrainingKernels} has run in this process. */
export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}

/**
 * Registers selfsup's training kernels for the `wasm` backend: the missing gradient kernels
 * (conv filter, depthwise, embedding) and faster or corrected replacements of existing ones.
 * Idempotent. Call it after the wasm backend is initialized; `initBackend` does.
 *
 * A replacement keeps the original's `setupFunc`, so the wasm functions the original needs are
 * bound again if the backend is ever re-initialized.
 */
export async function registerWasmTrainingKernels(): Promise<void> {
  if (registered) return;
  await compileSimdKernels();
  for (const config of ADDED_WASM_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
  if (tf.getGradient(batchNormTrainingGradConfig.kernelName) === undefined)
    tf.registerGradient(batchNormTrainingGradConfig);
  for (const { kernelName, replace } of REPLACED_WASM_KERNELS) {
    const original = tf.getKernel(kernelName, 'wasm');
    if (original === undefined) {
      throw new Error(
        `selfsup: the wasm backend has no ${kernelName} kernel to replace; is tfjs-backend-wasm 4.22 installed?`,
      );
    }
    const replacement = replace(original.kernelFunc);
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({
      ...replacement,
      ...(original.setupFunc === undefined ? {} : { setupFunc: original.setupFunc }),
      ...(original.disposeFunc === undefined ? {} : { disposeFunc: original.disposeFunc }),
    });
  }
  registered = true;
}
