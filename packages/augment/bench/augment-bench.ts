/**
 * `pnpm bench` in @selfsup/augment: throughput of the SimCLR two-view pipeline (256 source
 * images → 2 × 256 views per call) on the wasm backend at 28×28×1 (the Fashion-MNIST recipe,
 * `fashionMnistSimclrPreset`), 32×32×3 (`simclrPreset`, CIFAR: no blur) and 96×96×3 (`simclrPreset`
 * with blur), beside PyTorch's batched augmentation of the same 28×28×1 recipe
 * (`bench/reference/fashion_mnist_augment.py`, 2 threads) measured in the same run, between two
 * measurements of ours so contention from other processes shows.
 *
 *   pnpm bench [--runs 20] [--profile]      SELFSUP_WASM_THREADS=2 pnpm bench  (threaded wasm)
 *
 * Timing: a second of warm-up calls, then the median of `--runs` calls; wasm runs synchronously, so a call is
 * done when it returns. `--profile` prints where the time goes (tfjs kernel totals per call).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { fashionMnistSimclrPreset, simclrPreset, twoViews, type ViewMaker } from '../src/index.js';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, profile: { type: 'boolean', default: false } },
});
const runs = Number(args.runs);
const batch = 256;
const info = await initBackend({ backend: 'wasm', log: false });
const loadavg = () =>
  existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a';
console.log(
  `selfsup augment benchmark — ${info.name} (${info.threads} thread${info.threads === 1 ? '' : 's'}${info.simd ? ', SIMD' : ''}), ` +
    `batch ${batch} → 2 views, median of ${runs} calls; load average ${loadavg()}`,
);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function measure(shape: [number, number, number], makeViews: ViewMaker, count: number): Promise<number> {
  const images = createRng(1).uniformTensor([batch, ...shape]) as Tensor4D;
  // Warm up for at least a second (JIT tiers, wasm heap growth), then time `count` calls.
  const warmUntil = performance.now() + 1000;
  for (let i = 0; i < 5 || performance.now() < warmUntil; i++) tf.dispose(makeViews(images, createRng(1000 + i)));
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const views = makeViews(images, createRng(i));
    times.push(performance.now() - start);
    tf.dispose(views);
  }
  if (args.profile) {
    const profile = await tf.profile(() => makeViews(images, createRng(99)));
    const totals = new Map<string, number>();
    for (const kernel of profile.kernels) {
      totals.set(kernel.name, (totals.get(kernel.name) ?? 0) + (kernel.kernelTimeMs as number));
    }
    const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`  kernels: ${top.map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(', ')}`);
  }
  images.dispose();
  return median(times);
}

/** PyTorch's batched augmentation of the same recipe, 2 threads (`bench/reference/fashion_mnist_augment.py`). */
function torchAugmentation(): { ms?: number; note: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'reference', 'fashion_mnist_augment.py');
  const run = spawnSync(
    '/usr/bin/python3',
    [script, '--threads', '2', '--batch', String(batch), '--runs', String(Math.max(runs, 20))],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (run.error !== undefined || run.status !== 0) {
    const why = run.error?.message ?? (run.stderr || '').trim().split('\n').pop();
    return {
      note: `not measured (${why}); install PyTorch for /usr/bin/python3 with \`apt-get install python3-torch\``,
    };
  }
  const line = JSON.parse(run.stdout.trim().split('\n').pop() as string) as { median_ms: number; threads: number };
  return { ms: line.median_ms, note: `fashion_mnist_augment.py, ${line.threads} threads` };
}

const cases: Array<{ name: string; shape: [number, number, number]; makeViews: ViewMaker }> = [
  { name: '28×28×1 Fashion-MNIST recipe', shape: [28, 28, 1], makeViews: twoViews(fashionMnistSimclrPreset()) },
  { name: '32×32×3 SimCLR (no blur)', shape: [32, 32, 3], makeViews: twoViews(simclrPreset({ size: [32, 32] })) },
  { name: '96×96×3 SimCLR (blur 9×9)', shape: [96, 96, 3], makeViews: twoViews(simclrPreset({ size: [96, 96] })) },
];

const rows: Array<{ name: string; ms: number }> = [];
const [referenceCase, ...otherCases] = cases as [(typeof cases)[number], ...typeof cases];
const oursBefore = await measure(referenceCase.shape, referenceCase.makeViews, runs);
const torch = torchAugmentation();
const oursAfter = await measure(referenceCase.shape, referenceCase.makeViews, runs);
rows.push(
  { name: `${referenceCase.name} (before torch)`, ms: oursBefore },
  { name: `${referenceCase.name} (after torch)`, ms: oursAfter },
);
if (torch.ms !== undefined) rows.push({ name: `PyTorch 28×28×1 Fashion-MNIST recipe (${torch.note})`, ms: torch.ms });
for (const { name, shape, makeViews } of otherCases) {
  rows.push({ name, ms: await measure(shape, makeViews, name.startsWith('96') ? Math.min(runs, 10) : runs) });
}

const width = Math.max(...rows.map((r) => r.name.length)) + 2;
console.log(
  `\n${'pipeline'.padEnd(width)}${'ms / call'.padStart(11)}${'source img/s'.padStart(14)}${'views/s'.padStart(10)}`,
);
for (const { name, ms } of rows) {
  const perSecond = (count: number) => ((count * 1000) / ms).toFixed(0);
  console.log(
    `${name.padEnd(width)}${ms.toFixed(2).padStart(11)}${perSecond(batch).padStart(14)}${perSecond(2 * batch).padStart(10)}`,
  );
}
if (torch.ms !== undefined) {
  const ratio = (ours: number) => ((torch.ms as number) / ours).toFixed(2);
  console.log(
    `\nselfsup vs PyTorch at 28×28×1: ${ratio(oursBefore)}× / ${ratio(oursAfter)}× as fast (target ≥ 1×); load average ${loadavg()}`,
  );
} else {
  console.log(`\nPyTorch: ${torch.note}`);
}
