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
  let total = 0;
  for (let i = 0; i < 3; i++) total += run();
  console.log(label.padEnd(60), (total / 3).toFixed(1), 'ms');
}
const r2 = (a: number[], b: number[]) => () => [tf.randomUniform(a), tf.randomUniform(b)];
time('dW conv2 trick: x[32,29,29,512] f[14,14,512,64] dil2', r2([32, 29, 29, 512], [14, 14, 512, 64]), (x, w) =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid', 'NHWC', 2),
);
for (const nb of [8, 16, 32, 64]) {
  time(`  per-chunk nb=${nb} (x${512 / nb})`, r2([32, 29, 29, nb], [14, 14, nb, 64]), (x, w) =>
    tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid', 'NHWC', 2),
  );
}
time('dW conv3 trick: x[64,15,15,512] f[7,7,512,128] dil2', r2([64, 15, 15, 512], [7, 7, 512, 128]), (x, w) =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid', 'NHWC', 2),
);
time('dW conv1 trick: x[1,30,30,512] f[28,28,512,32]', r2([1, 30, 30, 512], [28, 28, 512, 32]), (x, w) =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'),
);
time('GEMM dW2 A[288,100352] B[100352,64]', r2([288, 100352], [100352, 64]), (a, b) =>
  tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
);
for (const k of [1024, 4096])
  time(`  GEMM chunk A[288,${k}] B[${k},64] (x${100352 / k})`, r2([288, k], [k, 64]), (a, b) =>
    tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
  );
time('GEMM A[64,100352] B[100352,288]', r2([64, 100352], [100352, 288]), (a, b) =>
  tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
);
for (const k of [512, 2048])
  time(`  GEMM chunk A[64,${k}] B[${k},288] (x${100352 / k})`, r2([64, k], [k, 288]), (a, b) =>
    tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
  );
