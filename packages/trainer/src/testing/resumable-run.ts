// A small real run used by kill-resume.test.ts, through the same `runExperiment` every face uses:
// SimCLR on 384 embedded Fashion-MNIST images, checkpointing every 2 steps. Prints "step <n> <loss>"
// per step and, at the end, one JSON line: the losses of the run's metrics log (the whole run,
// however often it was resumed) and the SHA-256 of the saved encoder's weights.
// Usage: tsx resumable-run.ts <runDir> [--resume] [--hold-after-step N]: after printing step N the
// process blocks for good (its checkpoint of step N - 1 written), so a test can kill it at a known
// point however loaded the machine is.
import { createHash } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { labeledImageBatches, loadIdxImages, selectImages } from '@selfsup/data';
import { createSmallCnn, FASHION_MNIST_NORMALIZATION } from '@selfsup/models';
import { createSimclr } from '../methods/simclr.js';
import { runExperiment } from '../run/run-experiment.js';

const [dir, ...flags] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: resumable-run.ts <runDir> [--resume] [--hold-after-step N]');
const holdFlag = flags.indexOf('--hold-after-step');
const holdAfterStep = holdFlag === -1 ? undefined : Number(flags[holdFlag + 1]);
const result = await runExperiment(
  {
    dir,
    resume: flags.includes('--resume'),
    title: 'resumable SimCLR',
    objective: { kind: 'method', id: 'simclr' },
    backend: { backend: 'wasm' },
    config: { method: 'simclr', images: 384, epochs: 3 },
    training: {
      epochs: 3,
      optimizer: { kind: 'adamw' },
      schedule: ({ totalSteps }) => ({ kind: 'warmup-cosine', learningRate: 2e-3, warmupSteps: 3, totalSteps }),
      seed: 4,
      checkpoint: { everySteps: 2 },
    },
    async prepare() {
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
      return {
        objective,
        encoder,
        data: labeledImageBatches(set, { batchSize: 64, seed: 3 }),
        examples: 'images',
        exampleCount: set.count,
        dataDescription: '384 embedded Fashion-MNIST images',
        dispose: () => objective.dispose(),
      };
    },
  },
  {
    quiet: true,
    log: () => {},
    callbacks: [
      {
        onStepEnd: (record) => {
          writeSync(1, `step ${record.step} ${record.loss}\n`);
          if (record.step === holdAfterStep) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
        },
      },
    ],
  },
);
const losses = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => (JSON.parse(line) as { loss: number }).loss);
const weights = createHash('sha256')
  .update(readFileSync(join(result.encoderPath as string, 'weights.bin')))
  .digest('hex');
process.stdout.write(`${JSON.stringify({ steps: result.steps, losses, weights })}\n`);
