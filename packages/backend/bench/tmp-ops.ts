import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/init-backend.js';

await initBackend({ log: false });
function time(label: string, make: () => tf.Tensor[], f: (...x: tf.Tensor[]) => tf.Tensor) {
  const run = () => {
    const xs = make();
    const t = performance.now();
    const r = f(...xs);
    const dt = performance.now() - t;
    r.dispose();
    tf.dispose(xs);
    return dt;
  };
  run();
  run();
  let total = 0;
  for (let i = 0; i < 4; i++) total += run();
  console.log(label.padEnd(44), (total / 4).toFixed(1), 'ms');
}
const r = (s: number[]) => () => [tf.randomUniform(s)];
const r2 = (a: number[], b: number[]) => () => [tf.randomUniform(a), tf.randomUniform(b)];
time('pad dy [512,14,14,64]->[512,15,15,64]', r([512, 14, 14, 64]), (x) =>
  tf.pad(x, [
    [0, 0],
    [1, 0],
    [1, 0],
    [0, 0],
  ]),
);
time('conv [512,15,15,64]x[2,2,64,128]', r2([512, 15, 15, 64], [2, 2, 64, 128]), (x, w) =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'),
);
time('depthToSpace [512,14,14,128]', r([512, 14, 14, 128]), (x) => tf.depthToSpace(x as tf.Tensor4D, 2));
time('fwd conv [512,28,28,32]x[3,3,32,64] s2', r2([512, 28, 28, 32], [3, 3, 32, 64]), (x, w) =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
);
time('fwd conv s1 [512,14,14,64]x[3,3,64,32]', r2([512, 14, 14, 64], [3, 3, 64, 32]), (x, w) =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
);
time('matmul A[100352,288] B[288,64]', r2([100352, 288], [288, 64]), (a, b) =>
  tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
);
time('matmul A[100352,64] B[64,288]', r2([100352, 64], [64, 288]), (a, b) =>
  tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
);
time('matmul A[64,100352] B[100352,288] (packs B)', r2([64, 100352], [100352, 288]), (a, b) =>
  tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
);
time('transpose [100352,64]', r([100352, 64]), (a) => tf.transpose(a));
time('slice strided x[:, ::2, ::2, :] 28->14', r([512, 29, 29, 32]), (x) =>
  tf.stridedSlice(x, [0, 0, 0, 0], [512, 28, 28, 32], [1, 2, 2, 1]),
);
time(
  'concat 9 x [512,14,14,32] last axis',
  () => Array.from({ length: 9 }, () => tf.randomUniform([512, 14, 14, 32])),
  (...xs) => tf.concat(xs, 3),
);
time('add [512,28,28,32]', r2([512, 28, 28, 32], [512, 28, 28, 32]), (a, b) => tf.add(a, b));
time('backprop input kernel', r2([512, 14, 14, 64], [3, 3, 32, 64]), (dy, w) =>
  tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [512, 28, 28, 32], 2, 'same'),
);
