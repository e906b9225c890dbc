/**
 * `pnpm bench` in @selfsup/losses: forward + backward time of every loss at N = 256 and 1024,
 * D = 128, on the wasm backend (2 warm-up runs, then the median of 10), with PyTorch's NT-Xent
 * (`bench/ntxent_torch.py`, 2 threads) timed in the same run beside it.
 *
 * Each timed run computes the loss and `tf.grads` w.r.t. every input that carries a gradient, and
 * reads the gradients back (so the work is done, not just queued). Inputs are [N, 128] float32
 * normal samples; SwAV and DINO take them as prototype scores / head outputs with K = 128; SupCon
 * gets two views and 10 classes; InfoNCE a 4096-key queue. The box is shared: the load average is
 * printed so figures can be judged.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, initBackend, type Scalar, type Tensor, type Tensor2D, type Tensor3D, tf } from '@selfsup/backend';
import {
  barlowTwins,
  dino,
  infoNce,
  negativeCosine,
  ntXent,
  supCon,
  swav,
  symmetricNegativeCosine,
  tripletMargin,
  vicreg,
} from '../src/index.js';

const sizes = [256, 1024];
const dim = 128;
const warmups = 2;
const repeats = 10;
const queueSize = 4096;

const info = await initBackend({ backend: 'wasm', log: false });
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(
  `@selfsup/losses bench — tfjs ${tf.version_core} on ${info.name} (${info.threads} thread${info.threads === 1 ? '' : 's'}, ` +
    `SIMD ${info.simd ? 'on' : 'off'}), D = ${dim}, forward + backward, median of ${repeats} after ${warmups} warm-ups; load ${load()}`,
);

interface Inputs {
  a: Tensor2D;
  b: Tensor2D;
  c: Tensor2D;
  queue: Tensor2D;
  labels: number[];
}

/** Each loss: a function of the inputs that carry a gradient, and how many of a, b, c it takes. */
const losses: Array<{ name: string; arity: number; loss: (x: Tensor2D[], fixed: Inputs) => Scalar }> = [
  { name: 'ntXent (τ 0.5)', arity: 2, loss: ([a, b]) => ntXent(a as Tensor2D, b as Tensor2D) },
  { name: 'ntXent, 3 views', arity: 3, loss: (views) => ntXent(views) },
  {
    name: 'supCon (2 views)',
    arity: 2,
    loss: ([a, b], { labels }) => supCon(tf.stack([a as Tensor2D, b as Tensor2D], 1) as Tensor3D, labels),
  },
  { name: `infoNce (K ${queueSize})`, arity: 1, loss: ([q], { b, queue }) => infoNce(q as Tensor2D, b, queue) },
  { name: 'negativeCosine', arity: 1, loss: ([p], { b }) => negativeCosine(p as Tensor2D, b) },
  {
    name: 'symmetricNegativeCosine',
    arity: 2,
    loss: ([p1, p2], { b, c }) => symmetricNegativeCosine(p1 as Tensor2D, c, p2 as Tensor2D, b),
  },
  { name: 'barlowTwins', arity: 2, loss: ([a, b]) => barlowTwins(a as Tensor2D, b as Tensor2D) },
  { name: 'vicreg', arity: 2, loss: ([a, b]) => vicreg(a as Tensor2D, b as Tensor2D).loss },
  { name: 'swav (K 128)', arity: 2, loss: ([a, b]) => swav(a as Tensor2D, b as Tensor2D) },
  { name: 'dino (K 128)', arity: 1, loss: ([s], { b }) => dino(s as Tensor2D, b) },
  {
    name: 'tripletMargin',
    arity: 3,
    loss: ([a, p, n]) => tripletMargin(a as Tensor2D, p as Tensor2D, n as Tensor2D),
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const table = new Map<string, number[]>();
for (const n of sizes) {
  const rng = createRng(`losses-bench-${n}`);
  const fixed: Inputs = {
    a: rng.normalTensor([n, dim]) as Tensor2D,
    b: rng.normalTensor([n, dim]) as Tensor2D,
    c: rng.normalTensor([n, dim]) as Tensor2D,
    queue: rng.normalTensor([queueSize, dim]) as Tensor2D,
    labels: Array.from({ length: n }, (_, i) => i % 10),
  };
  const sources = [fixed.a, fixed.b, fixed.c];
  for (const { name, arity, loss } of losses) {
    const inputs = sources.slice(0, arity);
    const run = () =>
      tf.tidy(() => {
        const grads = tf.grads((...xs: Tensor[]) => loss(xs as Tensor2D[], fixed))(inputs);
        for (const g of grads) g.dataSync();
      });
    for (let i = 0; i < warmups; i++) run();
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      run();
      times.push(performance.now() - start);
    }
    table.set(name, [...(table.get(name) ?? []), median(times)]);
  }
  tf.dispose([fixed.a, fixed.b, fixed.c, fixed.queue]);
}

// PyTorch's NT-Xent, same sizes, 2 threads (the cores of the development box), timed the same way.
const torchScript = join(dirname(fileURLToPath(import.meta.url)), 'ntxent_torch.py');
const python = '/usr/bin/python3';
let torch: { ms: Record<string, number>; label: string } | undefined;
let torchNote = '';
if (!existsSync(python)) {
  torchNote = `PyTorch: not measured (${python} not found). To compare: apt-get install python3-torch`;
} else {
  const result = spawnSync(
    python,
    [torchScript, '--threads', '2', '--sizes', sizes.join(','), '--dim', String(dim), '--repeats', String(repeats)],
    {
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  const last = result.stdout?.trim().split('\n').pop() ?? '';
  if (result.status === 0 && last.startsWith('{')) {
    const parsed = JSON.parse(last) as { ntxent_fwd_bwd_ms: Record<string, number>; torch: string; threads: number };
    torch = { ms: parsed.ntxent_fwd_bwd_ms, label: `PyTorch ${parsed.torch}, ${parsed.threads} threads` };
  } else {
    const why = (result.stderr || result.error?.message || 'no output').trim().split('\n').pop();
    torchNote = `PyTorch: not measured (${why}). To compare: apt-get install python3-torch`;
  }
}

const cell = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(2)).padStart(13);
const header = ['loss (wasm, ms)'.padEnd(26), ...sizes.map((n) => `N=${n}`.padStart(13))];
if (torch !== undefined) header.push(...sizes.map((n) => `torch N=${n}`.padStart(13)));
console.log(`\n${header.join('')}`);
for (const [name, times] of table) {
  const row = [name.padEnd(26), ...times.map(cell)];
  if (torch !== undefined)
    row.push(...sizes.map((n) => cell(name.startsWith('ntXent (') ? torch?.ms[String(n)] : undefined)));
  console.log(row.join(''));
}
if (torch !== undefined)
  console.log(`\ntorch columns: NT-Xent forward + backward, ${torch.label} (ms, median of ${repeats}).`);
else console.log(`\n${torchNote}`);
console.log(`load average at the end: ${load()}`);
