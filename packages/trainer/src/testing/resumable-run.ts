// A small real pretraining run used by kill-resume.test.ts: SimCLR on 384 embedded Fashion-MNIST
// images, checkpointing every 2 steps. Prints "step <n> <loss>" per step and, at the end, the
// whole loss history as one JSON line. Usage: tsx resumable-run.ts <checkpointDir|-> [--resume]
// [--hold-after-step N]: after printing step N the process blocks for good (its checkpoint of step
// N - 1 written), so a test can kill it at a known point however loaded the machine is.
import { writeSync } from 'node:fs';
import { initBackend } from '@selfsup/backend';
import { labeledImageBatches, loadIdxImages, selectImages } from '@selfsup/data';
import { createSmallCnn, FASHION_MNIST_NORMALIZATION } from '@selfsup/models';
import { createSimclr } from '../methods/simclr.js';
import { pretrain } from '../pretrain.js';

const [dir, ...flags] = process.argv.slice(2);
const holdFlag = flags.indexOf('--hold-after-step');
const holdAfterStep = holdFlag === -1 ? undefined : Number(flags[holdFlag + 1]);
await initBackend({ log: false });
const set = selectImages(
  await loadIdxImages({ split: 'train' }),
  Array.from({ length: 384 }, (_, i) => i * 15),
);
const encoder = createSmallCnn({
  widths: [8, 16, 16],
  strides: [1, 2, 2],
  normalization: FASHION_MNIST_NORMALIZATION,
  seed: 1,
});
const objective = createSimclr({ encoder, seed: 2 });
const result = await pretrain({
  objective,
  data: labeledImageBatches(set, { batchSize: 64, seed: 3 }),
  epochs: 3,
  optimizer: { kind: 'adamw' },
  schedule: ({ totalSteps }) => ({ kind: 'warmup-cosine', learningRate: 2e-3, warmupSteps: 3, totalSteps }),
  seed: 4,
  ...(dir === '-' || dir === undefined ? {} : { checkpoint: { dir, everySteps: 2 } }),
  resume: flags.includes('--resume'),
  callbacks: [
    {
      onStepEnd: (record) => {
        writeSync(1, `step ${record.step} ${record.loss}\n`);
        if (record.step === holdAfterStep) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      },
    },
  ],
});
process.stdout.write(`${JSON.stringify(result.history.map((r) => r.loss))}\n`);
