/**
 * `pnpm bench` in @selfsup/augment: images/s of the SimCLR two-view pipeline on batches of 256 at
 * 28×28×1 (the `../shared/peer` Fashion-MNIST recipe), 32×32×3 and 96×96×3, on the default backend,
 * beside PyTorch's batched augmentation of the same recipe (`step_check.py`'s aug_ms_per_2x_batch)
 * measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { fashionMnistSimclrPreset, simclrPreset, twoViews } from '../src/index.js';

const batch = 256;
const repeats = 20;
const info = await initBackend({ log: false });
console.log(
  `selfsup augment benchmark — ${info.name} (${info.provider}), batch ${batch}, two views, median of ${repeats}`,
);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const cases = [
  { name: '28×28×1 (peer Fashion-MNIST recipe)', shape: [28, 28, 1], pipeline: twoViews(fashionMnistSimclrPreset()) },
  { name: '32×32×3 (SimCLR CIFAR, no blur)', shape: [32, 32, 3], pipeline: twoViews(simclrPreset({ size: [32, 32] })) },
  { name: '96×96×3 (SimCLR with blur)', shape: [96, 96, 3], pipeline: twoViews(simclrPreset({ size: [96, 96] })) },
] as const;

const results: Array<{ name: string; ms: number }> = [];
for (const { name, shape, pipeline } of cases) {
  const images = createRng(1).uniformTensor([batch, ...shape]) as Tensor4D;
  const times: number[] = [];
  for (let i = 0; i < repeats + 3; i++) {
    const start = performance.now();
    const views = pipeline(images, createRng(i));
    views[1]?.dataSync();
    const ms = performance.now() - start;
    tf.dispose(views);
    if (i >= 3) times.push(ms);
  }
  images.dispose();
  results.push({ name, ms: median(times) });
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const stepCheck = join(repoRoot, '..', 'shared', 'peer', 'step_check.py');
let torchMs: number | undefined;
let torchNote = '';
if (existsSync(stepCheck)) {
  const run = spawnSync(
    '/usr/bin/python3',
    [stepCheck, '--threads', '2', '--steps', '1', '--aug-steps', String(repeats)],
    { encoding: 'utf8', cwd: dirname(stepCheck) },
  );
  if (run.status === 0)
    torchMs = (JSON.parse(run.stdout.trim().split('\n').pop() as string) as { aug_ms_per_2x_batch: number })
      .aug_ms_per_2x_batch;
  else torchNote = `${(run.stderr || '').trim().split('\n').pop()} — apt-get install python3-torch python3-torchvision`;
} else {
  torchNote = `not found: ${stepCheck}`;
}

console.log(
  `\n${'pipeline'.padEnd(40)}${'ms / 2×256'.padStart(12)}${'views/s'.padStart(12)}${'images/s'.padStart(12)}`,
);
for (const { name, ms } of results) {
  console.log(
    `${name.padEnd(40)}${ms.toFixed(2).padStart(12)}${((2 * batch * 1000) / ms).toFixed(0).padStart(12)}${((batch * 1000) / ms).toFixed(0).padStart(12)}`,
  );
}
if (torchMs !== undefined) {
  console.log(
    `${'PyTorch 28×28×1, 2 threads (step_check)'.padEnd(40)}${torchMs.toFixed(2).padStart(12)}${((2 * batch * 1000) / torchMs).toFixed(0).padStart(12)}${((batch * 1000) / torchMs).toFixed(0).padStart(12)}`,
  );
  console.log(
    `selfsup / PyTorch speed at 28×28×1: ${(torchMs / (results[0]?.ms ?? Number.NaN)).toFixed(2)}× (target ≥ 1×)`,
  );
} else {
  console.log(`PyTorch: not measured (${torchNote})`);
}
