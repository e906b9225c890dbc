import * as tf from '@tensorflow/tfjs-core';
import { wasmKernel } from './kernel-scope.js';

/**
 * `UnsortedSegmentSum` for wasm (missing from tfjs-backend-wasm 4.22; it is the gradient of
 * `gather`, so embeddings cannot train without it).
 *
 *   out[k, ...] = Σ_{i : segmentIds[i] = k} x[i, ...]
 *
 * Computed by `ScatterNd` with the segment ids as indices: wasm's ScatterNd adds updates that land
 * on the same index. Ids outside [0, numSegments) are dropped, as in TensorFlow: they are sent to
 * an extra segment that is cut off. Memory is O(output), unlike a one-hot matMul (n × numSegments).
 *
 * Inputs: x [...ids.shape, ...rest], segmentIds int32. Output: [numSegments, ...rest].
 */
export const unsortedSegmentSumKernel: tf.KernelConfig = wasmKernel(
  tf.UnsortedSegmentSum,
  (scope, { inputs, attrs }) => {
    const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
    const count = tf.util.sizeFromShape(segmentIds.shape);
    const rest = x.shape.slice(segmentIds.shape.length);
    const ids = scope.backend.typedArrayFromHeap(segmentIds) as Int32Array;
    let outOfRange = false;
    for (let i = 0; i < count; i++) {
      const id = ids[i] as number;
      if (id < 0 || id >= numSegments) {
        outOfRange = true;
        break;
      }
    }
    let indices: tf.TensorInfo;
    if (outOfRange) {
      const clamped = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const id = ids[i] as number;
        clamped[i] = id < 0 || id >= numSegments ? numSegments : id;
      }
      indices = scope.track(scope.backend.makeOutput([count, 1], 'int32', undefined, clamped));
    } else {
      indices = scope.reshape(segmentIds, [count, 1]);
    }
    const updates = scope.reshape(x, [count, ...rest]);
    const segments = numSegments + (outOfRange ? 1 : 0);
    const summed = scope.run(tf.ScatterNd, { indices, updates }, { shape: [segments, ...rest] });
    return outOfRange ? scope.slice(summed, [0, ...rest.map(() => 0)], [numSegments, ...rest]) : summed;
  },
);
