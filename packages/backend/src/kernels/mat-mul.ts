import * as tf from '@tensorflow/tfjs-core';
import { replacementKernel } from './kernel-scope.js';

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
  return replacementKernel(kernelName, original, (scope, { inputs, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const plainA = transposeA ? scope.transpose(a, innerTransposePerm(a.shape.length)) : a;
    const plainB = transposeB ? scope.transpose(b, innerTransposePerm(b.shape.length)) : b;
    return scope.run(kernelName, { ...inputs, a: plainA, b: plainB } as Record<string, tf.TensorInfo>, {
      ...attrs,
      transposeA: false,
      transposeB: false,
    });
  });
}

/** Per-matrix multiply-adds from which one 2-D GEMM per batch beats the batched loop. */
const SPLIT_MIN_WORK = 32_768;

/**
 * `BatchMatMul` for wasm that keeps XNNPACK's fast path when operands are transposed, and for
 * batches: tfjs-backend-wasm runs XNNPACK's GEMM only for a batch of 1 and a plain loop for more
 * (2.2 GFLOP/s on attention's [128, 64, 64] × [128, 64, 32], against 6.5 for one GEMM per matrix
 * and 23 for the same work as one 2-D GEMM). Batches whose matrices hold at least
 * {@link SPLIT_MIN_WORK} multiply-adds run one GEMM per matrix, written into one output; smaller
 * ones, other dtypes, and batch shapes that broadcast other than a batch of 1 against a batch keep
 * the original kernel.
 */
export function batchMatMulKernel(original: tf.KernelFunc): tf.KernelConfig {
  const untransposed = untransposedMatMul(tf.BatchMatMul, original);
  return replacementKernel(tf.BatchMatMul, untransposed.kernelFunc, (scope, args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const batchShapeA = a.shape.slice(0, -2);
    const batchShapeB = b.shape.slice(0, -2);
    const batchA = tf.util.sizeFromShape(batchShapeA);
    const batchB = tf.util.sizeFromShape(batchShapeB);
    const [m, k] = transposeA ? [a.shape[rankA - 1], a.shape[rankA - 2]] : [a.shape[rankA - 2], a.shape[rankA - 1]];
    const n = (transposeB ? b.shape[rankB - 2] : b.shape[rankB - 1]) as number;
    const batch = Math.max(batchA, batchB);
    const sameBatches = batchA === batchB && batchShapeA.join() === batchShapeB.join();
    const split =
      batch > 1 &&
      a.dtype === 'float32' &&
      b.dtype === 'float32' &&
      (sameBatches || batchA === 1 || batchB === 1) &&
      (m as number) * (k as number) * n >= SPLIT_MIN_WORK;
    if (!split) return scope.run(tf.BatchMatMul, args.inputs as Record<string, tf.TensorInfo>, args.attrs);
    const a3 = scope.reshape(a, [batchA, a.shape[rankA - 2] as number, a.shape[rankA - 1] as number]);
    const b3 = scope.reshape(b, [batchB, b.shape[rankB - 2] as number, b.shape[rankB - 1] as number]);
    const out = scope.output([batch, m as number, n]);
    const size = (m as number) * n;
    for (let i = 0; i < batch; i++) {
      const ai = batchA === 1 ? a3 : scope.slice(a3, [i, 0, 0], [1, ...a3.shape.slice(1)]);
      const bi = batchB === 1 ? b3 : scope.slice(b3, [i, 0, 0], [1, ...b3.shape.slice(1)]);
      const product = scope.run(tf.BatchMatMul, { a: ai, b: bi }, { transposeA, transposeB });
      // A fresh view each time: the heap may have grown (and moved) since the last one.
      (scope.backend.typedArrayFromHeap(out) as Float32Array).set(
        scope.backend.typedArrayFromHeap(product) as Float32Array,
        i * size,
      );
      scope.release(product);
      if (ai !== a3) scope.release(ai);
      if (bi !== b3) scope.release(bi);
    }
    const batchShape = batchA >= batchB ? batchShapeA : batchShapeB;
    return scope.reshape(out, [...batchShape, m as number, n]);
  });
}

/** `_FusedMatMul` (matMul + bias + activation) for wasm, likewise. */
export function fusedMatMulKernel(original: tf.KernelFunc): tf.KernelConfig {
  return untransposedMatMul(tf._FusedMatMul, original);
}
