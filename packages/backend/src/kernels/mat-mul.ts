import * as tf from '@tensorflow/tfjs-core';
import { composedKernel } from './kernel-scope.js';

/** Swaps the two innermost axes. */
function innerTransposePerm(rank: number): number[] {
  const perm = [...Array(rank).keys()];
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return perm;
}

/**
 * Wraps a wasm matMul kernel so transposed operands are transposed explicitly first: XNNPACK's
 * fast GEMM only runs on untransposed operands, and tfjs-backend-wasm falls back to a naive loop
 * (0.8–3 GFLOP/s instead of 20–40) otherwise — which hits every dense and attention backward
 * pass, where tfjs asks for `transposeA`/`transposeB`.
 */
function untransposedMatMul(kernelName: string, original: tf.KernelFunc): tf.KernelConfig {
  const overrides = new Map([[kernelName, original]]);
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: composedKernel((scope, { inputs, attrs }) => {
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
      const plainA = transposeA ? scope.transpose(a, innerTransposePerm(a.shape.length)) : a;
      const plainB = transposeB ? scope.transpose(b, innerTransposePerm(b.shape.length)) : b;
      return scope.run(kernelName, { ...inputs, a: plainA, b: plainB } as Record<string, tf.TensorInfo>, {
        ...attrs,
        transposeA: false,
        transposeB: false,
      });
    }, overrides),
  };
}

/** `BatchMatMul` for wasm that keeps XNNPACK's fast path when operands are transposed. */
export function batchMatMulKernel(original: tf.KernelFunc): tf.KernelConfig {
  return untransposedMatMul(tf.BatchMatMul, original);
}

/** `_FusedMatMul` (matMul + bias + activation) for wasm, likewise. */
export function fusedMatMulKernel(original: tf.KernelFunc): tf.KernelConfig {
  return untransposedMatMul(tf._FusedMatMul, original);
}
