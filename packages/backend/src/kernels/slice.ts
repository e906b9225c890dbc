import * as tf from '@tensorflow/tfjs-core';
import { KernelScope, replacementKernel, type WasmBackendLike } from './kernel-scope.js';
import { forEachOuter, stridesOf } from './strides.js';

/**
 * Copies the window [begin, begin + size) of a 4-byte tensor into `out` with SIMD chunk copies:
 * the trailing axes the window takes whole form one contiguous chunk; the next axis is looped in
 * the kernel, the remaining outer axes in JS.
 */
export function sliceInto(
  scope: KernelScope,
  x: tf.TensorInfo,
  begin: readonly number[],
  size: readonly number[],
  out: tf.TensorInfo,
): void {
  const shape = x.shape;
  const rank = shape.length;
  const inStrides = stridesOf(shape);
  const outStrides = stridesOf(size);
  const src = scope.offset(x) + 4 * begin.reduce((total, b, axis) => total + b * (inStrides[axis] as number), 0);
  const dst = scope.offset(out);
  if (rank === 0) {
    scope.simd.copyChunks(src, dst, 1, 1, 0, 0);
    return;
  }
  // Lowest axis k such that every axis after k is taken whole: [k, rank) is one contiguous chunk.
  let k = rank - 1;
  while (k > 0 && size[k] === shape[k]) k--;
  const chunk = (size[k] as number) * (k + 1 < rank ? (inStrides[k] as number) : 1);
  if (k === 0) {
    scope.simd.copyChunks(src, dst, 1, chunk, 0, 0);
    return;
  }
  const stepAxis = k - 1;
  // The axes before stepAxis are looped here.
  forEachOuter(size.slice(0, stepAxis), inStrides.slice(0, stepAxis), outStrides.slice(0, stepAxis), (s, d) =>
    scope.simd.copyChunks(
      src + 4 * s,
      dst + 4 * d,
      size[stepAxis] as number,
      chunk,
      inStrides[stepAxis] as number,
      outStrides[stepAxis] as number,
    ),
  );
}

/**
 * `Slice` for wasm with SIMD chunk copies for float32 and int32 (every `tf.slice`, `split` and
 * the crops of selfsup's gradient kernels). Other dtypes use the original.
 */
export function sliceKernel(original: tf.KernelFunc): tf.KernelConfig {
  return replacementKernel(tf.Slice, original, (scope, { inputs, attrs }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { begin, size } = attrs as unknown as tf.SliceAttrs;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return scope.run(tf.Slice, { x }, { begin, size });
    const [start, extent] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size) as [
      number[],
      number[],
    ];
    tf.slice_util.assertParamsValid(x as unknown as tf.Tensor, start, extent);
    const out = scope.output(extent, x.dtype);
    if (tf.util.sizeFromShape(extent) > 0) sliceInto(scope, x, start, extent, out);
    return out;
  });
}

/** `SplitV` for wasm: each piece is a {@link sliceInto} (the original calls the slow slice loop directly). */
export function splitKernel(original: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: tf.SplitV,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype !== 'float32' && x.dtype !== 'int32') return original(args);
      const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
      const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0] as number;
      const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, parsedAxis);
      const scope = new KernelScope(args.backend as WasmBackendLike);
      const begin = x.shape.map(() => 0);
      return sizes.map((pieceSize) => {
        const size = [...x.shape];
        size[parsedAxis] = pieceSize;
        const out = scope.output(size, x.dtype);
        if (tf.util.sizeFromShape(size) > 0) sliceInto(scope, x, begin, size, out);
        begin[parsedAxis] = (begin[parsedAxis] as number) + pieceSize;
        return out;
      });
    },
  };
}
