/**
 * `pnpm bench` in @selfsup/backend: for every backend available here, matMul and conv2d GFLOP/s
 * and the training-step time of the reference encoder (`bench/reference-encoder.ts`: 512 images of
 * 28×28×1 per step, NT-Xent, Adam), printed beside PyTorch's step time for the same net measured in
 * the same run (`bench/reference/reference_step.py --threads 2`).
 *
 * Flags: --steps N (timed steps, default 5), --backends wasm,cpu, --wasm-threads 1,2, --no-torch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { BackendRequest } from '../src/backend-requests.js';
import { availableBackends, initBackend } from '../src/init-backend.js';
import { median, stepSeconds } from './step-timing.js';

const args = process.argv.slice(2);
function flag(name: string, fallback: string): string {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
}
const steps = Number(flag('steps', '5'));
const wasmThreads = flag('wasm-threads', '1').split(',').map(Number);
const referenceStep = join(dirname(fileURLToPath(import.meta.url)), 'reference', 'reference_step.py');

function timeMs(run: () => void, repeats: number): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

function gflops(backend: string): { matMul: number; conv2d: number } {
  const size = backend === 'cpu' ? 256 : 1024;
  const a = tf.randomNormal([size, size]) as tf.Tensor2D;
  const matMulMs = timeMs(() => tf.matMul(a, a).dataSync(), backend === 'cpu' ? 2 : 5);
  const batch = backend === 'cpu' ? 4 : 64;
  const x = tf.randomNormal([batch, 28, 28, 32]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 32, 64]) as tf.Tensor4D;
  const convMs = timeMs(() => tf.conv2d(x, w, 1, 'same').dataSync(), backend === 'cpu' ? 2 : 5);
  tf.dispose([a, x, w]);
  return {
    matMul: (2 * size ** 3) / (matMulMs * 1e6),
    conv2d: (2 * batch * 28 * 28 * 9 * 32 * 64) / (convMs * 1e6),
  };
}

function torchStep(): { seconds: number } | string {
  if (args.includes('--no-torch')) return 'skipped (--no-torch)';
  const run = spawnSync('/usr/bin/python3', [referenceStep, '--threads', '2', '--images', '512'], {
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    const reason = /No module named 'torch'/.test(run.stderr ?? '')
      ? 'PyTorch is not installed'
      : (run.stderr ?? run.error?.message ?? '').trim().split('\n').pop();
    return `${reason} — install it with: apt-get install python3-torch`;
  }
  const result = JSON.parse(run.stdout.trim().split('\n').pop() as string) as { median_step_s: number };
  return { seconds: result.median_step_s };
}

const loadavg = () =>
  existsSync('/proc/loadavg')
    ? (spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout ?? '').split(' ').slice(0, 3).join(' ')
    : 'n/a';
console.log(`selfsup backend benchmark — node ${process.version}, load average ${loadavg()}`);
const requested = flag('backends', '').split(',').filter(Boolean) as BackendRequest[];
const backends =
  requested.length > 0
    ? requested
    : (await availableBackends()).filter((name) => name !== 'cpu' || !args.includes('--skip-cpu'));
const rows: string[] = [];
let wasmStep: number | undefined;
for (const backend of backends) {
  for (const threads of backend === 'wasm' ? wasmThreads : [1]) {
    const info = await initBackend({ backend, log: false, ...(backend === 'wasm' ? { wasmThreads: threads } : {}) });
    const { matMul, conv2d } = gflops(info.name);
    // The cpu backend needs ~2 min per reference step: time 16 images and scale.
    const batch = info.name === 'cpu' ? 16 : 512;
    const { seconds, losses } = stepSeconds(batch, info.name === 'cpu' ? 2 : steps);
    const perStep = (seconds * 512) / batch;
    if (info.name === 'wasm' && threads === 1) wasmStep = perStep;
    rows.push(
      `${`${info.name} (${info.provider}, ${info.threads} thread${info.threads > 1 ? 's' : ''}${info.trainingKernels ? ', selfsup kernels' : ''})`.padEnd(62)} ` +
        `${matMul.toFixed(1).padStart(7)} ${conv2d.toFixed(1).padStart(7)} ${perStep.toFixed(3).padStart(9)}${batch === 512 ? '' : ` (×${512 / batch} of a ${batch}-image step)`}  loss ${losses[0]?.toFixed(3)}→${losses[losses.length - 1]?.toFixed(3)}`,
    );
    console.log(rows[rows.length - 1]);
  }
}
const torch = torchStep();
console.log(
  '\nbackend'.padEnd(63),
  'matMul   conv2d   s/step   (GFLOP/s, GFLOP/s, reference encoder, 512×28×28×1, Adam)',
);
for (const row of rows) console.log(row);
if (typeof torch === 'string') {
  console.log(`PyTorch reference_step.py: ${torch}`);
} else {
  console.log(
    `${'PyTorch 2 threads (bench/reference/reference_step.py)'.padEnd(62)} ${''.padStart(15)} ${torch.seconds.toFixed(3).padStart(9)}`,
  );
  if (wasmStep !== undefined)
    console.log(
      `wasm speed relative to PyTorch: ${(torch.seconds / wasmStep).toFixed(2)}× (target ≥ 0.30×, stretch 0.50×)`,
    );
}
console.log(`load average at the end: ${loadavg()}`);
