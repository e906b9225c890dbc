import * as tf from '@tensorflow/tfjs-core';
import { replacementKernel } from './kernel-scope.js';

const FOUR_BYTE = new Set<tf.DataType>(['float32', 'int32']);

/**
 * `Concat` for wasm: one SIMD chunk copy per input. tfjs-backend-wasm 4.22 concatenates in a JS
 * loop of `subarray().set()` per outer index — a channel concat of [N, H, W, 1] tensors calls it
 * once per pixel (e.g. 160 ms for three [512, 32, 32, 1] tensors). Other dtypes use the original.
 */
export function concatKernel(original: tf.KernelFunc): tf.KernelConfig {
  return replacementKernel(tf.Concat, original, (scope, { inputs, attrs }) => {
    const all = Object.values(inputs) as tf.TensorInfo[];
    const first = all[0] as tf.TensorInfo;
    const axis = tf.util.parseAxisParam((attrs as unknown as tf.ConcatAttrs).axis, first.shape)[0] as number;
    if (!FOUR_BYTE.has(first.dtype) || all.some((t) => t.dtype !== first.dtype))
      return scope.run(tf.Concat, inputs as Record<string, tf.TensorInfo>, attrs as Record<string, unknown>);
    tf.backend_util.assertParamsConsistent(
      all.map((t) => t.shape),
      axis,
    );
    const parts = all.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    const outShape = tf.backend_util.computeOutShape(
      all.map((t) => t.shape),
      axis,
    );
    const out = scope.output(outShape, first.dtype);
    if (parts.length === 0) return out;
    const outer = tf.util.sizeFromShape(first.shape.slice(0, axis));
    const inner = parts.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
    const total = inner.reduce((a, b) => a + b, 0);
    const dst = scope.offset(out);
    let column = 0;
    parts.forEach((part, i) => {
      const chunk = inner[i] as number;
      scope.simd.copyChunks(scope.offset(part), dst + 4 * column, outer, chunk, chunk, total);
      column += chunk;
    });
    return out;
  });
}
