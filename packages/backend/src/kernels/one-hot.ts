import * as tf from '@tensorflow/tfjs-core';
import { replacementKernel } from './kernel-scope.js';

/**
 * `OneHot` for wasm that honours `dtype` and fractional on/off values: tfjs-backend-wasm 4.22
 * writes int32 bit patterns into a float32 output (values read back as denormals). Computes an
 * int32 0/1 mask, casts it, then maps 0/1 to off/on.
 */
export function oneHotKernel(original: tf.KernelFunc): tf.KernelConfig {
  return replacementKernel(tf.OneHot, original, (scope, { inputs, attrs }) => {
    const { dtype, depth, onValue, offValue } = attrs as unknown as tf.OneHotAttrs;
    const { indices } = inputs as { indices: tf.TensorInfo };
    if (dtype === 'int32' && Number.isInteger(onValue) && Number.isInteger(offValue)) {
      return scope.run(tf.OneHot, { indices }, { dtype, depth, onValue, offValue });
    }
    const mask = scope.run(tf.OneHot, { indices }, { dtype: 'int32', depth, onValue: 1, offValue: 0 });
    const values = scope.cast(mask, 'float32');
    // on·mask + off·(1 − mask): exact for 0/1 masks, unlike off + (on − off)·mask.
    const scaled =
      onValue === 1 && offValue === 0
        ? values
        : scope.run(tf.Add, {
            a: scope.run(tf.Multiply, { a: values, b: scope.scalar(onValue) }),
            b: scope.run(tf.Multiply, {
              a: scope.run(tf.Sub, { a: scope.scalar(1), b: values }),
              b: scope.scalar(offValue),
            }),
          });
    return dtype === 'float32' ? scaled : scope.cast(scaled, dtype);
  });
}
