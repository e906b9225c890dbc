import type * as tf from '@tensorflow/tfjs-core';
import { wasmKernel } from './kernel-scope.js';

/**
 * selfsup's per-image hue shift of RGB images: inputs `images` [N, H, W, 3] float32 and `shifts`
 * [N] float32 (fractions of a turn); output like `images`. Registered for wasm (one pass through
 * HSV per pixel instead of ~60 tensor ops); `@selfsup/augment` composes it from tensor ops where
 * the kernel is not registered.
 */
export const ADJUST_HUE = 'SelfsupAdjustHue';

export const adjustHueKernel: tf.KernelConfig = wasmKernel(ADJUST_HUE, (scope, { inputs }) => {
  const { images, shifts } = inputs as { images: tf.TensorInfo; shifts: tf.TensorInfo };
  const [count, height, width, channels] = images.shape as [number, number, number, number];
  if (images.shape.length !== 4 || channels !== 3 || images.dtype !== 'float32') {
    throw new Error(`${ADJUST_HUE}: images must be float32 [N, H, W, 3]; got ${images.dtype} [${images.shape}]`);
  }
  if (shifts.shape.join() !== `${count}` || shifts.dtype !== 'float32') {
    throw new Error(`${ADJUST_HUE}: shifts must be float32 [${count}]; got ${shifts.dtype} [${shifts.shape}]`);
  }
  const out = scope.output([...images.shape]);
  scope.simd.adjustHue(scope.offset(images), count, height * width, scope.offset(shifts), scope.offset(out));
  return out;
});
