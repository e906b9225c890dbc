/**
 * Downstream value of each vision pretext task after the same budget: every task pretrains on
 * the same number of source images (default 4 epochs of the embedded Fashion-MNIST subset =
 * 24 000 images, batches of 128; colorization: as many 28×28 photo patches), then the encoder is
 * evaluated on Fashion-MNIST with the linear probe and kNN, beside SimCLR under the same budget and
 * the random-init and raw-pixel floors. Prints a markdown table (the one in docs/vision-tasks.md)
 * and one JSON line.
 *
 *   npx -y pnpm@10 --filter @selfsup/app-vision-pretext bench [-- --epochs 4 --tasks rotation,jigsaw]
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '@selfsup/backend';
import { FASHION_MNIST_CLASSES, labeledImageBatches, loadIdxImages } from '@selfsup/data';
import { createSmallCnn, FASHION_MNIST_NORMALIZATION } from '@selfsup/models';
import { createMethod, type EvaluationRow, evaluateEncoder, pretrain } from '@selfsup/trainer';
import { APP_TASKS, type AppTask, parsePipelineOptions } from '../src/pipeline-options.js';
import { runPipeline } from '../src/run-pipeline.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    epochs: { type: 'string' },
    tasks: { type: 'string' },
    'probe-epochs': { type: 'string' },
    simclr: { type: 'boolean' },
  },
});
const epochs = Number(values.epochs ?? 4);
const tasks = (values.tasks?.split(',') ?? [...APP_TASKS]) as AppTask[];
for (const task of tasks) if (!APP_TASKS.includes(task)) throw new Error(`--tasks: unknown task '${task}'`);
const probeEpochs = values['probe-epochs'];
const batchSize = 128;

interface Row {
  method: string;
  data: string;
  steps: number;
  seconds: number;
  imagesPerSecond: number;
  pretext: string;
  linearProbe: number;
  knn: number;
  loadBefore: number;
  loadAfter: number;
}
const rows: Row[] = [];
const floors: EvaluationRow[] = [];
const started = performance.now();

for (const task of tasks) {
  const loadBefore = loadavg()[0] as number;
  const out = mkdtempSync(join(tmpdir(), `vision-bench-${task}-`));
  const options = parsePipelineOptions([
    '--task',
    task,
    '--epochs',
    String(epochs),
    '--batch-size',
    String(batchSize),
    '--out',
    out,
    '--quiet',
    ...(probeEpochs === undefined ? [] : ['--probe-epochs', probeEpochs]),
  ]);
  if (options === 'help') throw new Error('unexpected help');
  const { result, evaluation } = await runPipeline(options, (line) => console.error(`[${task}] ${line}`));
  const metric = Object.entries(result.heldOutPretextMetrics)
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(', ');
  const grey =
    result.greyFloorMetrics === undefined ? '' : ` (grey: abError ${result.greyFloorMetrics.abError?.toFixed(2)})`;
  rows.push({
    method: task,
    data: result.photos === undefined ? 'Fashion-MNIST' : `${result.photos.train} photos`,
    steps: result.steps,
    seconds: result.pretrainSeconds,
    imagesPerSecond: result.imagesPerSecond,
    pretext: metric + grey,
    linearProbe: result.linearProbeAccuracy,
    knn: result.knnAccuracy,
    loadBefore,
    loadAfter: loadavg()[0] as number,
  });
  for (const row of evaluation) {
    if (row.features === 'pretrained') continue;
    // The random-init floor is the encoder's own architecture: the CNN (standardized input), the
    // colorization CNN (lightness input, no standardization) or the ViT.
    const architecture = task === 'mae' ? 'ViT' : task === 'colorization' ? 'CNN on L' : 'CNN';
    const name = row.features === 'raw-pixels' ? 'raw-pixels' : `${row.features} (${architecture})`;
    if (!floors.some((f) => f.features === name)) floors.push({ ...row, features: name });
  }
}

if (values.simclr ?? true) {
  // SimCLR on the same budget, as apps/simclr runs it.
  const loadBefore = loadavg()[0] as number;
  await initBackend({ log: false });
  const [train, test] = await Promise.all([loadIdxImages({ split: 'train' }), loadIdxImages({ split: 'test' })]);
  const encoder = createSmallCnn({ normalization: FASHION_MNIST_NORMALIZATION, seed: 0 });
  const objective = createMethod('simclr', { encoder, seed: 1 });
  const data = labeledImageBatches(train, { batchSize, seed: 0 });
  const stepsPerEpoch = data.size as number;
  const run = await pretrain({
    objective,
    data,
    epochs,
    optimizer: { kind: 'adam' },
    schedule: ({ totalSteps }) => ({
      kind: 'warmup-cosine',
      learningRate: 2e-3,
      warmupSteps: stepsPerEpoch,
      totalSteps,
      finalLearningRate: 2e-5,
    }),
    seed: 0,
  });
  const evaluation = evaluateEncoder(encoder, {
    train,
    test,
    classes: FASHION_MNIST_CLASSES.length,
    floors: false,
    ...(probeEpochs === undefined ? {} : { probeEpochs: Number(probeEpochs) }),
  });
  rows.push({
    method: 'simclr (reference)',
    data: 'Fashion-MNIST',
    steps: run.steps,
    seconds: run.trainingSeconds,
    imagesPerSecond: run.imagesPerSecond,
    pretext: '',
    linearProbe: evaluation[0]?.linearProbeAccuracy ?? Number.NaN,
    knn: evaluation[0]?.knnAccuracy ?? Number.NaN,
    loadBefore,
    loadAfter: loadavg()[0] as number,
  });
  objective.dispose();
  encoder.dispose();
}

const percent = (x: number) => `${(100 * x).toFixed(2)} %`;
console.log(
  `\nSame budget: ${epochs} epochs × ${Math.floor(6000 / batchSize)} steps of ${batchSize} source images (embedded Fashion-MNIST subset: 6000 train / 1000 test), wasm, 1 thread.\n`,
);
console.log(
  '| pretext task | pretraining data | steps | train s | source img/s | held-out pretext metric | linear probe | kNN (k=200) | load avg |',
);
console.log('|---|---|---:|---:|---:|---|---:|---:|---|');
for (const r of rows) {
  console.log(
    `| ${r.method} | ${r.data} | ${r.steps} | ${r.seconds.toFixed(0)} | ${r.imagesPerSecond.toFixed(0)} | ${r.pretext} | ${percent(r.linearProbe)} | ${percent(r.knn)} | ${r.loadBefore.toFixed(1)}→${r.loadAfter.toFixed(1)} |`,
  );
}
for (const f of floors) {
  console.log(
    `| floor: ${f.features} | — | — | — | — | — | ${percent(f.linearProbeAccuracy)} | ${percent(f.knnAccuracy)} | |`,
  );
}
console.log(
  JSON.stringify({
    bench: 'vision-downstream',
    epochs,
    batchSize,
    rows,
    floors,
    wallSeconds: (performance.now() - started) / 1000,
  }),
);
