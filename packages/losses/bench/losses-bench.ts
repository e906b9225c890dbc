/**
 * `pnpm bench` in @selfsup/losses: forward + backward time of every loss at N = 256 and 1024,
 * D = 128, on wasm, with PyTorch's NT-Xent time measured in the same run beside it.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, initBackend, type Scalar, type Tensor, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import {
  barlowTwins,
  dino,
  infoNCE,
  negativeCosine,
  ntXent,
  supCon,
  swav,
  tripletMargin,
  vicreg,
} from '../src/index.js';

const sizes = [256, 1024];
const dim = 128;
const repeats = 10;
const info = await initBackend({ log: false });
console.log(
  `selfsup losses benchmark — ${info.name} (${info.provider}, ${info.threads} thread), D=${dim}, median of ${repeats}`,
);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const losses: Record<string, (a: Tensor2D, b: Tensor2D, extra: { labels: Tensor1D; queue: Tensor2D }) => Scalar> = {
  ntXent: (a, b) => ntXent(a, b, { checkFinite: false }),
  supCon: (a, _b, { labels }) => supCon(a, labels, { checkFinite: false }),
  infoNCE: (a, b, { queue }) => infoNCE(a, b, queue, { checkFinite: false }),
  negativeCosine: (a, b) => negativeCosine(a, b, { checkFinite: false }),
  barlowTwins: (a, b) => barlowTwins(a, b, { checkFinite: false }),
  vicreg: (a, b) => {
    const terms = vicreg(a, b, { checkFinite: false });
    tf.dispose([terms.invariance, terms.variance, terms.covariance]);
    return terms.loss;
  },
  swav: (a, b) =>
    swav(tf.slice(a, [0, 0], [-1, 100]) as Tensor2D, tf.slice(b, [0, 0], [-1, 100]) as Tensor2D, {
      checkFinite: false,
    }),
  dino: (a, b) => dino(a, b, { checkFinite: false }),
  tripletMargin: (a, b) => tripletMargin(a, b, tf.reverse(a, 0) as Tensor2D, { checkFinite: false }),
};

const rows: Record<string, number[]> = {};
for (const n of sizes) {
  const rng = createRng(n);
  const a = rng.normalTensor([n, dim]) as Tensor2D;
  const b = rng.normalTensor([n, dim]) as Tensor2D;
  const labels = tf.tensor1d(
    Array.from({ length: n }, (_, i) => i % 10),
    'int32',
  ) as Tensor1D;
  const queue = rng.normalTensor([4096, dim]) as Tensor2D;
  for (const [name, loss] of Object.entries(losses)) {
    // Gradient w.r.t. the first input (every loss uses it; some treat the second as a constant).
    const run = () =>
      tf.tidy(
        () =>
          tf
            .grad((x: Tensor) => loss(x as Tensor2D, b, { labels, queue }))(a)
            .dataSync()[0],
      );
    run();
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      run();
      times.push(performance.now() - start);
    }
    rows[name] = [...(rows[name] ?? []), median(times)];
  }
  tf.dispose([a, b, labels, queue]);
}

const torch = spawnSync(
  '/usr/bin/python3',
  [join(dirname(fileURLToPath(import.meta.url)), 'ntxent_torch.py'), '--threads', '2', '--sizes', sizes.join(',')],
  { encoding: 'utf8' },
);
let torchTimes: Record<string, number> | undefined;
if (torch.status === 0)
  torchTimes = (
    JSON.parse(torch.stdout.trim().split('\n').pop() as string) as { ntxent_fwd_bwd_ms: Record<string, number> }
  ).ntxent_fwd_bwd_ms;
console.log(`\n${'loss (forward + backward)'.padEnd(28)}${sizes.map((n) => `N=${n}`.padStart(12)).join('')}  (ms)`);
for (const [name, times] of Object.entries(rows))
  console.log(`${name.padEnd(28)}${times.map((t) => t.toFixed(2).padStart(12)).join('')}`);
if (torchTimes !== undefined) {
  console.log(
    `${'PyTorch ntXent, 2 threads'.padEnd(28)}${sizes.map((n) => (torchTimes?.[String(n)] ?? Number.NaN).toFixed(2).padStart(12)).join('')}`,
  );
} else {
  console.log(
    `PyTorch: not measured (${(torch.stderr || torch.error?.message || '').trim().split('\n').pop()}) — apt-get install python3-torch`,
  );
}
