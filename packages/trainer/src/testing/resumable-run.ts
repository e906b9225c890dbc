// A small real pretraining run used by kill-resume.test.ts: SimCLR on 384 embedded Fashion-MNIST
// images, checkpointing every 2 steps. Prints "step <n> <loss>" per step and, at the end, the
// whole loss history as one JSON line. Usage: tsx resumable-run.ts <checkpointDir|-> [--resume]
import { initBackend } from '@selfsup/backend';
import { labeledImageBatches, loadIdxImages, selectImages } from '@selfsup/data';
import { createSmallCnn, FASHION_MNIST_NORMALIZATION } from '@selfsup/models';
import { createSimclr } from '../methods/simclr.js';
import { pretrain } from '../pretrain.js';

const [dir, flag] = process.argv.slice(2);
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
  resume: flag === '--resume',
  callbacks: [{ onStepEnd: (record) => process.stdout.write(`step ${record.step} ${record.loss}\n`) }],
});
process.stdout.write(`${JSON.stringify(result.history.map((r) => r.loss))}\n`);
