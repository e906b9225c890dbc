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
import { runApp } from '@selfsup/cli';
import { FASHION_MNIST_CLASSES, labeledImageBatches, loadIdxImages } from '@selfsup/data';
import { createSmallCnn, FASHION_MNIST_NORMALIZATION } from '@selfsup/models';
import { createMethod, type EvaluationRow, type ExperimentResult, evaluateEncoder, pretrain } from '@selfsup/trainer';
import { visionTasks } from '@selfsup/vision';
import { VISION_PRETEXT_APP } from '../src/vision-pretext-app.js';

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
const known = Object.keys(visionTasks);
const tasks = values.tasks?.split(',') ?? known;
for (const task of tasks) if (!known.includes(task)) throw new Error(`--tasks: unknown task '${task}'`);
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
  // The app as `pnpm start` runs it, in this process: its log to stderr, its last stdout line the result.
  let stdout = '';
  const args = ['--task', task, '--epochs', String(epochs), '--batch-size', String(batchSize), '--out', out, '--quiet'];
  const code = await runApp(
    VISION_PRETEXT_APP,
    [...args, ...(probeEpochs === undefined ? [] : ['--probe-epochs', probeEpochs])],
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => process.stderr.write(`[${task}] ${text}`) },
    },
  );
  if (code !== 0) throw new Error(`${task}: the app exited with ${code}`);
  const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as ExperimentResult;
  const figures = Object.entries(result.measures);
  const metric = figures
    .filter(([name]) => name.startsWith('heldOut.'))
    .map(([name, value]) => `${name.slice('heldOut.'.length)} ${Number(value).toFixed(3)}`)
    .join(', ');
  const greyError = result.measures['greyFloor.abError'];
  const grey = greyError === undefined ? '' : ` (grey: abError ${Number(greyError).toFixed(2)})`;
  const evaluation = result.evaluation;
  rows.push({
    method: task,
    data: result.examples === 'photo patches' ? (result.data.split(' (')[0] as string) : 'Fashion-MNIST',
    steps: result.steps,
    seconds: result.pretrainSeconds,
    imagesPerSecond: result.examplesPerSecond,
    pretext: metric + grey,
    linearProbe: result.linearProbeAccuracy ?? Number.NaN,
    knn: result.knnAccuracy ?? Number.NaN,
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
  const evaluation = await evaluateEncoder(encoder, {
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
    imagesPerSecond: run.examplesPerSecond,
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
