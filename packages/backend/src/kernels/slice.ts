import * as tf from '@tensorflow/tfjs-core';
import { composedKernel, KernelScope, type WasmBackendLike } from './kernel-scope.js';

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis] as number;
  }
  return strides;
}

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
  const outerAxes = [...Array(stepAxis).keys()];
  const index = outerAxes.map(() => 0);
  for (;;) {
    const srcOffset = outerAxes.reduce(
      (total, axis, i) => total + (index[i] as number) * (inStrides[axis] as number),
      0,
    );
    const dstOffset = outerAxes.reduce(
      (total, axis, i) => total + (index[i] as number) * (outStrides[axis] as number),
      0,
    );
    scope.simd.copyChunks(
      src + 4 * srcOffset,
      dst + 4 * dstOffset,
      size[stepAxis] as number,
      chunk,
      inStrides[stepAxis] as number,
      outStrides[stepAxis] as number,
    );
    let axis = outerAxes.length - 1;
    for (; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (size[axis] as number)) break;
      index[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/**
 * `Slice` for wasm with SIMD chunk copies for float32 and int32 (every `tf.slice`, `split` and
 * the crops of selfsup's gradient kernels). Other dtypes use the original.
 */
export function sliceKernel(original: tf.KernelFunc): tf.KernelConfig {
  const overrides = new Map([[tf.Slice, original]]);
  return {
    kernelName: tf.Slice,
    backendName: 'wasm',
    kernelFunc: composedKernel((scope, { inputs, attrs }) => {
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
    }, overrides),
  };
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
