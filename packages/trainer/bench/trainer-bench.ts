/**
 * `pnpm bench` in @selfsup/trainer:
 * 1. SimCLR throughput — source images/s of the full pipeline (two-view augmentation + forward +
 *    backward + Adam) with the reference encoder at batch 256, beside PyTorch's figure for the same
 *    net and recipe measured in the same run: the augmentation of 2 × 256 images
 *    (`packages/augment/bench/reference/fashion_mnist_augment.py`) plus the training step on them
 *    (`packages/backend/bench/reference/reference_step.py`), both on 2 threads.
 * 2. Memory — the tensor count and the process RSS over a long run (default 1000 steps, batch 64),
 *    printed every 100 steps: the count must stay flat and RSS bounded.
 *
 * Flags: --steps N (throughput steps, default 20), --memory-steps N (default 1000), --wasm-threads N.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@selfsup/backend';
import { labeledImageBatches, loadIdxImages } from '@selfsup/data';
import { createSmallCnn, FASHION_MNIST_NORMALIZATION } from '@selfsup/models';
import { createSimclr, pretrain } from '../src/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const steps = flag('steps', 20);
const memorySteps = flag('memory-steps', 1000);
const info = await initBackend({ log: false, wasmThreads: flag('wasm-threads', 1) });
const train = await loadIdxImages({ split: 'train' });
console.log(
  `selfsup trainer benchmark — ${info.name} (${info.provider}, ${info.threads} thread${info.threads > 1 ? 's' : ''}), load ${spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ').slice(0, 3).join(' ')}`,
);

// 1. Throughput at batch 256 (after 3 warm-up steps).
{
  const encoder = createSmallCnn({ normalization: FASHION_MNIST_NORMALIZATION });
  const objective = createSimclr({ encoder });
  const times: number[] = [];
  let last = performance.now();
  await pretrain({
    objective,
    data: labeledImageBatches(train, { batchSize: 256, seed: 0 }),
    epochs: Math.ceil((steps + 3) / 23),
    maxSteps: steps + 3,
    optimizer: { kind: 'adam' },
    schedule: { kind: 'constant', learningRate: 1e-3 },
    seed: 0,
    metricsEverySteps: 1_000_000,
    callbacks: [
      {
        onStepEnd: () => {
          const now = performance.now();
          times.push(now - last);
          last = now;
        },
      },
    ],
  });
  objective.dispose();
  encoder.dispose();
  const steady = times.slice(3).sort((a, b) => a - b);
  const median = steady[Math.floor(steady.length / 2)] as number;
  console.log(
    `SimCLR, reference encoder, batch 256 (512 views): ${median.toFixed(0)} ms/step = ${((256 * 1000) / median).toFixed(0)} source images/s (median of ${steady.length} steps)`,
  );
  const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const reference = (script: string, scriptArgs: string[]) => {
    const run = spawnSync('/usr/bin/python3', [join(packages, script), '--threads', '2', ...scriptArgs], {
      encoding: 'utf8',
    });
    if (run.status !== 0) return (run.stderr || run.error?.message || '').trim().split('\n').pop() as string;
    return JSON.parse(run.stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
  };
  const augmentation = reference('augment/bench/reference/fashion_mnist_augment.py', ['--batch', '256']);
  const step =
    typeof augmentation === 'string'
      ? augmentation
      : reference('backend/bench/reference/reference_step.py', ['--images', '512', '--steps', '8']);
  if (typeof augmentation === 'string' || typeof step === 'string') {
    console.log(
      `PyTorch: not measured (${typeof step === 'string' ? step : augmentation}) — apt-get install python3-torch`,
    );
  } else {
    const augmentationMs = augmentation.median_ms as number;
    const stepMs = 1000 * (step.median_step_s as number);
    const torchMs = augmentationMs + stepMs;
    console.log(
      `PyTorch 2 threads, same net and recipe:            ${torchMs.toFixed(0)} ms/step = ${((256 * 1000) / torchMs).toFixed(0)} source images/s (augmentation ${augmentationMs.toFixed(0)} ms + step ${stepMs.toFixed(0)} ms)`,
    );
    console.log(`selfsup / PyTorch: ${(torchMs / median).toFixed(2)}×`);
  }
}

// 2. Memory over a long run.
{
  const encoder = createSmallCnn({ normalization: FASHION_MNIST_NORMALIZATION });
  const objective = createSimclr({ encoder });
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  const samples: string[] = [];
  let firstTensors: number | undefined;
  let maxRss = 0;
  await pretrain({
    objective,
    data: labeledImageBatches(train, { batchSize: 64, seed: 0 }),
    epochs: Math.ceil(memorySteps / 93),
    maxSteps: memorySteps,
    optimizer: { kind: 'adam' },
    schedule: { kind: 'constant', learningRate: 1e-3 },
    seed: 0,
    metricsEverySteps: 1_000_000,
    callbacks: [
      {
        onStepEnd: (record) => {
          const rss = process.memoryUsage().rss;
          maxRss = Math.max(maxRss, rss);
          if (record.step === 10) firstTensors = tf.memory().numTensors;
          if (record.step % 100 === 0)
            samples.push(
              `step ${record.step}: ${tf.memory().numTensors} tensors, RSS ${mb(rss)} MiB, wasm heap ${mb((tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.length ?? 0)} MiB`,
            );
        },
      },
    ],
  });
  objective.dispose();
  encoder.dispose();
  console.log(`\nmemory over ${memorySteps} SimCLR steps (batch 64):`);
  for (const line of samples) console.log(`  ${line}`);
  console.log(`tensor count after step 10: ${firstTensors}; max RSS ${mb(maxRss)} MiB`);
}
