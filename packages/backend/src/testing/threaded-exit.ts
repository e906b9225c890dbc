// Used by wasm-threads.test.ts: starts the threaded wasm build, computes, and returns without
// calling process.exit — the pthread workers must not keep the process alive.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../init-backend.js';

const info = await initBackend({ backend: 'wasm', wasmThreads: 2, log: false });
const a = tf.ones([64, 64]) as tf.Tensor2D;
const sum = tf.sum(tf.matMul(a, a)).dataSync()[0];
process.stdout.write(`threads ${info.threads}, matMul ${sum === 64 * 64 * 64 ? 'ok' : `wrong (${sum})`}\n`);
