import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/init-backend.js';
import { createRng } from '../src/rng.js';
import { createReferenceNet, trainStep } from './reference-encoder.js';

/**
 * Per-kernel time of one reference-encoder training step: `pnpm --filter @selfsup/backend profile`.
 * Prints the kernels that take most of the step, with their input shapes.
 */
const batch = Number(process.env.BATCH ?? 512);
const info = await initBackend({ log: false });
const net = createReferenceNet(0);
const optimizer = tf.train.adam(1e-3);
const images = createRng(1).uniformTensor([batch, 28, 28, 1]) as tf.Tensor4D;
for (let i = 0; i < 2; i++) trainStep(net, optimizer, images);
const t0 = performance.now();
const steps = 3;
for (let i = 0; i < steps; i++) trainStep(net, optimizer, images);
console.log(`${info.name}: ${((performance.now() - t0) / steps).toFixed(0)} ms/step at batch ${batch}`);
const profile = await tf.profile(() => {
  trainStep(net, optimizer, images);
});
const byName = new Map<string, { ms: number; count: number; shapes: Set<string> }>();
let total = 0;
for (const kernel of profile.kernels) {
  const ms = Number(kernel.kernelTimeMs);
  total += ms;
  const key = kernel.name;
  const entry = byName.get(key) ?? { ms: 0, count: 0, shapes: new Set() };
  entry.ms += ms;
  entry.count++;
  if (entry.shapes.size < 4)
    entry.shapes.add(`${kernel.inputShapes.map((s) => `[${s}]`).join(' ')} (${ms.toFixed(1)})`);
  byName.set(key, entry);
}
console.log(`profiled kernel total ${total.toFixed(0)} ms over ${profile.kernels.length} kernels`);
for (const [name, { ms, count, shapes }] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(
    `${name.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms ${String(count).padStart(4)}×  ${[...shapes].join('  ')}`,
  );
}
console.log('slowest single kernel calls:');
for (const kernel of [...profile.kernels]
  .sort((a, b) => Number(b.kernelTimeMs) - Number(a.kernelTimeMs))
  .slice(0, 25)) {
  console.log(
    `${kernel.name.padEnd(28)} ${Number(kernel.kernelTimeMs).toFixed(1).padStart(8)} ms  ${kernel.inputShapes.map((s) => `[${s}]`).join(' ')} -> ${kernel.outputShapes.map((s) => `[${s}]`).join(' ')} ${kernel.extraInfo ?? ''}`,
  );
}
