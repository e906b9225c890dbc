// Memory of a long run: does RSS keep growing while a SimCLR run trains? Runs `selfsup pretrain`
// in this process (the path a user's run takes: run directory, metrics log, checkpoints, progress)
// on the embedded Fashion-MNIST subset with the small CNN, and prints, every --every steps, the
// process's RSS, V8 heap (after a full collection: the script runs with --expose-gc), ArrayBuffers,
// the wasm heap and the live tensor count; at the end, the RSS slope over the last half of the
// training (MB per 1,000 steps and per minute) and the size of the newest checkpoint's trainer.json.
// Run: npx -y pnpm@10 --filter @selfsup/cli bench:memory [--steps 3000] [--every 250]
//      [--batch-size 16] [--widths 8,16 (the small CNN's, stride 2 each)] [--backend wasm]
//      [--checkpoint-every 100]
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { tf } from '@selfsup/backend';
import { runCli } from '../src/main.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '3000' },
    every: { type: 'string', default: '250' },
    'batch-size': { type: 'string', default: '16' },
    backend: { type: 'string', default: 'wasm' },
    'checkpoint-every': { type: 'string', default: '100' },
    widths: { type: 'string', default: '8,16' },
  },
});
const steps = Number(values.steps);
const every = Number(values.every);
const out = join(tmpdir(), `selfsup-memory-bench-${process.pid}`);
const metricsFile = join(out, 'metrics.jsonl');
const mb = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1));

/** The step of the newest row of metrics.jsonl (its last line; 0 before the first). */
function lastStep(): number {
  let size: number;
  try {
    size = statSync(metricsFile).size;
  } catch {
    return 0;
  }
  const length = Math.min(size, 4096);
  const buffer = Buffer.alloc(length);
  const fd = openSync(metricsFile, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lines = buffer.toString('utf8').trim().split('\n');
  const last = lines.at(-1);
  try {
    return last === undefined ? 0 : (JSON.parse(last) as { step: number }).step;
  } catch {
    return 0;
  }
}

/** Bytes of the wasm backend's heap (0 on other backends). */
function wasmHeapBytes(): number {
  try {
    const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
    return backend.wasm?.HEAPU8?.byteLength ?? 0;
  } catch {
    return 0;
  }
}

interface Sample {
  step: number;
  seconds: number;
  rss: number;
}
const samples: Sample[] = [];
const start = performance.now();
let nextStep = every;
console.log(
  `memory bench (${(globalThis as { gc?: unknown }).gc === undefined ? 'no forced GC' : 'after a forced GC'}): SimCLR, ${steps} steps, batch ${values['batch-size']}, 28×28, small CNN [${values.widths}], ${values.backend}; out ${out}`,
);
console.log('step\tminutes\trss MB\theap MB\tarrayBuffers MB\twasm heap MB\ttensors');
const sampler = setInterval(() => {
  const step = lastStep();
  if (step < nextStep) return;
  nextStep = (Math.floor(step / every) + 1) * every;
  // With --expose-gc (the package script passes it): measured after a full collection, so the heap
  // figure is what the process still holds, not garbage not yet collected.
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  const seconds = (performance.now() - start) / 1000;
  samples.push({ step, seconds, rss: memory.rss });
  console.log(
    [
      step,
      (seconds / 60).toFixed(1),
      mb(memory.rss),
      mb(memory.heapUsed),
      mb(memory.arrayBuffers),
      mb(wasmHeapBytes()),
      tf.memory().numTensors,
    ].join('\t'),
  );
}, 200);

const code = await runCli(
  [
    'pretrain',
    '--data',
    'embedded',
    '--method',
    'simclr',
    '--model',
    'small-cnn',
    '--batch-size',
    String(values['batch-size']),
    '--max-steps',
    String(steps),
    '--epochs',
    '1000',
    '--backend',
    String(values.backend),
    '--set',
    `checkpoints.everySteps=${values['checkpoint-every']}`,
    '--set',
    `model.options.widths=[${values.widths}]`,
    '--set',
    `model.options.strides=[${String(values.widths)
      .split(',')
      .map(() => 2)
      .join(',')}]`,
    '--set',
    'evaluation.enabled=false',
    '--out',
    out,
    '--quiet',
  ],
  { stdout: { write: () => true }, stderr: process.stderr },
);
clearInterval(sampler);
if (code !== 0) {
  console.error(`the run failed with exit code ${code}`);
  process.exit(code);
}

// Least-squares slope of RSS over the last half of the training samples (the start-up growth and
// the end of the run — the last checkpoint, the encoder written — left out).
const training = samples.filter((sample) => sample.step < steps);
const late = training.slice(Math.floor(training.length / 2));
const slope = (x: (s: Sample) => number) => {
  const n = late.length;
  const mx = late.reduce((t, s) => t + x(s), 0) / n;
  const my = late.reduce((t, s) => t + s.rss, 0) / n;
  const covariance = late.reduce((t, s) => t + (x(s) - mx) * (s.rss - my), 0);
  const variance = late.reduce((t, s) => t + (x(s) - mx) ** 2, 0);
  return variance === 0 ? 0 : covariance / variance;
};
const checkpoints = join(out, 'checkpoints');
const newest = readdirSync(checkpoints)
  .filter((name) => name.startsWith('step-'))
  .sort()
  .at(-1);
const trainerJson = newest === undefined ? 0 : statSync(join(checkpoints, newest, 'trainer.json')).size;
const history =
  newest === undefined
    ? 0
    : (JSON.parse(readFileSync(join(checkpoints, newest, 'trainer.json'), 'utf8')) as { history?: unknown[] }).history
        ?.length;
console.log(
  JSON.stringify({
    steps,
    minutes: Number(((performance.now() - start) / 60_000).toFixed(1)),
    rssFirstMB: mb(samples[0]?.rss ?? 0),
    rssLastMB: mb(samples.at(-1)?.rss ?? 0),
    lateRssSlopeMBPer1000Steps: late.length > 1 ? mb(slope((s) => s.step) * 1000) : null,
    lateRssSlopeMBPerMinute: late.length > 1 ? mb(slope((s) => s.seconds) * 60) : null,
    newestCheckpoint: newest,
    trainerJsonBytes: trainerJson,
    trainerJsonHistoryRecords: history,
  }),
);
