import * as tf from '@tensorflow/tfjs-core';
import { replacementKernel } from './kernel-scope.js';

/**
 * `GatherV2` for wasm with one SIMD chunk copy per index (float32 and int32 data, batchDims 0):
 * tfjs-backend-wasm 4.22 gathers element by element (e.g. 40 ms to regroup a batch of 256
 * 28×28 images). Indices are range-checked with the original's error message.
 */
export function gatherKernel(original: tf.KernelFunc): tf.KernelConfig {
  return replacementKernel(tf.GatherV2, original, (scope, { inputs, attrs }) => {
    const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = attrs as unknown as tf.GatherV2Attrs;
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32' || (batchDims ?? 0) !== 0) {
      return scope.run(tf.GatherV2, { x, indices }, { axis, batchDims });
    }
    const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0] as number;
    const dim = x.shape[parsedAxis] as number;
    const count = tf.util.sizeFromShape(indices.shape);
    const values = scope.backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < count; i++) {
      const index = values[i] as number;
      if (index < 0 || index > dim - 1) throw new Error(`GatherV2: the index value ${index} is not in [0, ${dim - 1}]`);
    }
    const outer = tf.util.sizeFromShape(x.shape.slice(0, parsedAxis));
    const inner = tf.util.sizeFromShape(x.shape.slice(parsedAxis + 1));
    const out = scope.output(
      [...x.shape.slice(0, parsedAxis), ...indices.shape, ...x.shape.slice(parsedAxis + 1)],
      x.dtype,
    );
    if (count > 0 && inner > 0 && outer > 0) {
      scope.simd.gatherChunks(
        scope.offset(x),
        scope.offset(out),
        scope.offset(indices),
        count,
        inner,
        outer,
        dim * inner,
        count * inner,
      );
    }
    return out;
  });
}
