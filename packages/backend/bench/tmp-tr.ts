import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/init-backend.js';

await initBackend({ log: false });
const be = tf.backend() as any;
// generic: collapse to [A, B, C, D] -> perm [3,1,2,0] style handled by a 3-level loop with blocking
function jsTransposeSwapOuterInner(x: tf.Tensor, outer: number, middle: number, inner: number): tf.Tensor {
  // x [outer, middle, inner] -> out [inner, middle, outer]
  const src = be.typedArrayFromHeap(x) as Float32Array;
  const out = be.makeOutput([inner, middle, outer], 'float32');
  const dst = be.typedArrayFromHeap(out) as Float32Array;
  const B = 16;
  for (let m = 0; m < middle; m++) {
    for (let o0 = 0; o0 < outer; o0 += B) {
      const o1 = Math.min(o0 + B, outer);
      for (let i0 = 0; i0 < inner; i0 += B) {
        const i1 = Math.min(i0 + B, inner);
        for (let o = o0; o < o1; o++) {
          const s = (o * middle + m) * inner;
          for (let i = i0; i < i1; i++) dst[(i * middle + m) * outer + o] = src[s + i]!;
        }
      }
    }
  }
  return tf.engine().makeTensorFromTensorInfo(out);
}
const x = tf.randomUniform([512, 841, 32]);
for (let k = 0; k < 2; k++) jsTransposeSwapOuterInner(x, 512, 841, 32).dispose();
let t = performance.now();
for (let k = 0; k < 5; k++) jsTransposeSwapOuterInner(x, 512, 841, 32).dispose();
console.log('js transpose [512,841,32]->[32,841,512]', ((performance.now() - t) / 5).toFixed(1), 'ms');
t = performance.now();
for (let k = 0; k < 5; k++) tf.transpose(x, [2, 1, 0]).dispose();
console.log('wasm transpose same', ((performance.now() - t) / 5).toFixed(1), 'ms');
const a = jsTransposeSwapOuterInner(x, 512, 841, 32);
const b = tf.transpose(x, [2, 1, 0]);
console.log('max diff', tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const y = tf.randomUniform([100352, 64]);
t = performance.now();
for (let k = 0; k < 5; k++) jsTransposeSwapOuterInner(y, 100352, 1, 64).dispose();
console.log('js transpose 2d [100352,64]', ((performance.now() - t) / 5).toFixed(1), 'ms');
t = performance.now();
for (let k = 0; k < 5; k++) tf.transpose(y).dispose();
console.log('wasm transpose 2d', ((performance.now() - t) / 5).toFixed(1), 'ms');
