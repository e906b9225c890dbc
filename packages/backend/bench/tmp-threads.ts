import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/init-backend.js';

const threads = Number(process.argv[2] ?? 2);
const info = await initBackend({ backend: 'wasm', wasmThreads: threads, log: false });
console.log(JSON.stringify(info));
const a = tf.randomNormal([1024, 1024]) as tf.Tensor2D;
tf.matMul(a, a).dataSync();
const t = performance.now();
for (let i = 0; i < 5; i++) tf.matMul(a, a).dataSync();
console.log('matmul GFLOP/s', ((5 * 2 * 1024 ** 3) / ((performance.now() - t) * 1e6)).toFixed(1));
