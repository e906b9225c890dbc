/**
 * Batch-generation throughput of every vision pretext task on the wasm backend: `makeBatch` on
 * 256 real Fashion-MNIST images (colorization: 256 photo patches of 28×28 from test-data/), after
 * warm-up, timed to the last value being readable. Prints a table and one JSON line.
 *
 *   npx -y pnpm@10 --filter @selfsup/vision bench          (SELFSUP_BENCH_ITERATIONS=… to change the count)
 */
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listImageFiles, readImages } from '@selfsup/augment';
import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { imageBatch, loadIdxImages } from '@selfsup/data';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import {
  colorizationTask,
  denoisingTask,
  inpaintingTask,
  jigsawTask,
  maeTask,
  relativeLocationTask,
  rotationTask,
} from '../src/index.js';

const iterations = Number(process.env.SELFSUP_BENCH_ITERATIONS ?? 20);
const batchSize = 256;
const backend = await initBackend({ backend: 'wasm', log: false });

const train = await loadIdxImages({ split: 'train' });
const fashion = imageBatch(
  train,
  Array.from({ length: batchSize }, (_, i) => i * 23),
).images;
const photoDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-data', 'photos');
const photoFiles: string[] = [];
for await (const file of listImageFiles(photoDir)) photoFiles.push(file);
const photos = await readImages(photoFiles.sort(), { size: [64, 64], channels: 3 });
const patches = tf.tidy(() => {
  const rng = createRng(0);
  const boxes = Array.from({ length: batchSize }, () => {
    const top = rng.int(37) / 63;
    const left = rng.int(37) / 63;
    return [top, left, top + 27 / 63, left + 27 / 63];
  });
  const indices = Array.from({ length: batchSize }, (_, i) => i % photoFiles.length);
  return tf.image.cropAndResize(photos, tf.tensor2d(boxes), tf.tensor1d(indices, 'int32'), [28, 28]) as Tensor4D;
});

const tasks: Array<[string, PretextTask<object, Tensor4D>, Tensor4D]> = [
  ['rotation', rotationTask(), fashion],
  ['jigsaw (P=100)', jigsawTask({ permutations: 100 }), fashion],
  ['jigsaw (P=1000)', jigsawTask({ permutations: 1000 }), fashion],
  ['relative-location', relativeLocationTask(), fashion],
  ['colorization (classification)', colorizationTask({ outputStride: 4 }), patches],
  ['colorization (regression)', colorizationTask({ mode: 'regression', outputStride: 4 }), patches],
  ['inpainting (random-block)', inpaintingTask(), fashion],
  ['denoising (masking)', denoisingTask(), fashion],
  ['mae (ratio 0.75, patch 4)', maeTask({ patchSize: 4 }), fashion],
];

const load = loadavg()[0] as number;
const rows: Array<{ task: string; msPerBatch: number; sourceImagesPerSecond: number; encoderInputsPerSecond: number }> =
  [];
for (const [name, task, images] of tasks) {
  const make = (seed: number) => task.makeBatch(images, { rng: createRng(seed), training: true });
  const finish = async (batch: TaskBatch) => {
    await batch.inputs.data();
    const rows = batch.inputs.shape[0] as number;
    tf.dispose(batch as unknown as tf.TensorContainer);
    return rows;
  };
  for (let i = 0; i < 3; i++) await finish(make(i));
  let inputs = 0;
  const start = performance.now();
  for (let i = 0; i < iterations; i++) inputs += await finish(make(100 + i));
  const seconds = (performance.now() - start) / 1000;
  rows.push({
    task: name,
    msPerBatch: (1000 * seconds) / iterations,
    sourceImagesPerSecond: (batchSize * iterations) / seconds,
    encoderInputsPerSecond: inputs / seconds,
  });
}

console.log(
  `makeBatch throughput, batches of ${batchSize} source images, ${backend.name} (${backend.threads} thread), load average ${load.toFixed(2)} → ${(loadavg()[0] as number).toFixed(2)}\n`,
);
console.log('| task | ms / batch | source images / s | encoder inputs / s |');
console.log('|---|---:|---:|---:|');
for (const row of rows) {
  console.log(
    `| ${row.task} | ${row.msPerBatch.toFixed(1)} | ${row.sourceImagesPerSecond.toFixed(0)} | ${row.encoderInputsPerSecond.toFixed(0)} |`,
  );
}
console.log(
  JSON.stringify({ bench: 'vision-make-batch', backend: backend.name, batchSize, iterations, loadAverage: load, rows }),
);
tf.dispose([fashion, photos, patches]);
