import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { batchNormTraining } from './ops/batch-norm-training.js';
import { maxRelativeError, randomValues, runOn } from './testing/backend-parity.js';
import { MAX_WASM_THREADS } from './wasm-backend-module.js';

// This file starts the threaded build; vitest runs each test file in its own process here, and
// what must run single-threaded or fail runs in a child process.
const sourceDir = dirname(fileURLToPath(import.meta.url));
const packageDir = join(sourceDir, '..');
const scriptDir = mkdtempSync(join(tmpdir(), 'selfsup-wasm-threads-test-'));
afterAll(() => rmSync(scriptDir, { recursive: true, force: true }));

type Tensors = typeof tf;
type MakeTensor = (shape: number[], seed: number) => tf.Tensor;
type BatchNormRelu = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
type PlainTensor = { shape: number[]; values: Float32Array };

/**
 * conv2d, a 256² matMul, and the gradients of a small conv net (conv → selfsup batch norm + ReLU →
 * strided conv → mean pool → dense) with respect to its input and weights. It uses only its
 * arguments, so its source also runs in the single-threaded child process.
 */
const computeParityOutputs = (tfjs: Tensors, make: MakeTensor, batchNormRelu: BatchNormRelu): tf.Tensor[] => {
  const x = make([8, 16, 16, 3], 1) as tf.Tensor4D;
  const filter1 = make([3, 3, 3, 16], 2) as tf.Tensor4D;
  const gamma = make([16], 3);
  const beta = make([16], 4);
  const filter2 = make([3, 3, 16, 32], 5) as tf.Tensor4D;
  const dense = make([32, 10], 6) as tf.Tensor2D;
  const a = make([256, 256], 7) as tf.Tensor2D;
  const b = make([256, 256], 8) as tf.Tensor2D;
  const net = (input: tf.Tensor, w1: tf.Tensor, g: tf.Tensor, bt: tf.Tensor, w2: tf.Tensor, wd: tf.Tensor) => {
    const h1 = batchNormRelu(tfjs.conv2d(input as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'same'), g, bt);
    const h2 = tfjs.relu(tfjs.conv2d(h1 as tf.Tensor4D, w2 as tf.Tensor4D, 2, 'same'));
    return tfjs.mean(tfjs.square(tfjs.matMul(tfjs.mean(h2, [1, 2]) as tf.Tensor2D, wd as tf.Tensor2D)));
  };
  const { value, grads } = tfjs.valueAndGrads(net)([x, filter1, gamma, beta, filter2, dense]);
  return [tfjs.conv2d(x, filter1, 1, 'same'), tfjs.matMul(a, b), value, ...grads];
};

const batchNormRelu: BatchNormRelu = (x, gamma, beta) => batchNormTraining(x, gamma, beta, { relu: true });
const makeSeeded: MakeTensor = (shape, seed) => tf.tensor(randomValues(shape, seed).values, shape);

function sourceUrl(file: string): string {
  return JSON.stringify(pathToFileURL(join(sourceDir, file)).href);
}

/**
 * Runs a TypeScript file in a fresh Node process (tsx as a loader, so a timeout kills that very
 * process), from the package folder.
 */
function runTypeScript(file: string, timeoutMs: number): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@selfsup/source', file], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs a TypeScript module body written to a temporary file. */
function runScript(name: string, body: string): SpawnSyncReturns<string> {
  const file = join(scriptDir, `${name}.mts`);
  writeFileSync(file, body);
  return runTypeScript(file, 90_000);
}

function toPlain(tensors: tf.Tensor[]): PlainTensor[] {
  return tensors.map((t) => ({ shape: t.shape, values: Float32Array.from(t.dataSync()) }));
}

describe.skipIf(availableParallelism() < 2)('wasm with 2 threads', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    const info = await initBackend({ backend: 'wasm', wasmThreads: 2, log: false });
    expect(info.threads).toBe(2);
    expect(info.simd).toBe(true);
    expect(info.trainingKernels).toBe(true);
  });

  it('runs 2 threads in XNNPACK', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(getThreadsCount()).toBe(2);
  });

  it('computes conv2d, matMul and a conv net gradient like the single-threaded build', () => {
    const child = runScript(
      'single-threaded',
      `import { initBackend } from ${sourceUrl('init-backend.ts')};
import { batchNormTraining } from ${sourceUrl('ops/batch-norm-training.ts')};
import { randomValues } from ${sourceUrl('testing/backend-parity.ts')};
import { tf } from ${sourceUrl('index.ts')};
const info = await initBackend({ backend: 'wasm', wasmThreads: 1, log: false });
if (info.threads !== 1) throw new Error('expected 1 thread, got ' + info.threads);
const compute = ${computeParityOutputs.toString()};
const outputs = compute(
  tf,
  (shape, seed) => tf.tensor(randomValues(shape, seed).values, shape),
  (x, gamma, beta) => batchNormTraining(x, gamma, beta, { relu: true }),
);
process.stdout.write(JSON.stringify(outputs.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }))));
`,
    );
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.status).toBe(0);
    const expected = (JSON.parse(child.stdout) as Array<{ shape: number[]; values: number[] }>).map((e) => ({
      shape: e.shape,
      values: Float32Array.from(e.values),
    }));
    const actual = tf.tidy(() => computeParityOutputs(tf, makeSeeded, batchNormRelu));
    const plain = toPlain(actual);
    tf.dispose(actual);
    expect(plain).toHaveLength(9);
    plain.forEach((output, i) => {
      expect(maxRelativeError(output, expected[i] as PlainTensor)).toBeLessThan(1e-5);
    });
  });

  it('runs the training kernels (XNNPACK and selfsup SIMD in shared memory) like cpu', async () => {
    const inputs = [
      randomValues([4, 12, 12, 3], 1),
      randomValues([3, 3, 3, 8], 2),
      randomValues([8], 3),
      randomValues([8], 4),
    ];
    const step = (x: tf.Tensor, w: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.grads((xi: tf.Tensor, wi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
        const h = batchNormTraining(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 2, 'same'), gi, bi, { relu: true });
        return tf.sum(tf.square(tf.transpose(h, [3, 1, 2, 0])));
      })([x, w, g, b]);
    const expected = await runOn('cpu', inputs, step);
    const actual = await runOn('wasm', inputs, step);
    actual.forEach((output, i) => {
      expect(maxRelativeError(output, expected[i] as PlainTensor)).toBeLessThan(1e-3);
    });
  });

  it('refuses another thread count in the same process, and keeps running', async () => {
    await expect(initBackend({ backend: 'wasm', wasmThreads: 1, log: false })).rejects.toThrow(
      /already runs with 2 threads in this process and cannot restart with 1/,
    );
    expect(tf.getBackend()).toBe('wasm');
    expect((await initBackend({ backend: 'wasm', wasmThreads: 2, log: false })).threads).toBe(2);
  });

  it('lets a process that started 2 threads exit by itself', () => {
    const child = runTypeScript(join(sourceDir, 'testing', 'threaded-exit.ts'), 60_000);
    expect(child.signal).toBeNull(); // not killed at the timeout
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('threads 2, matMul ok');
  });

  it('clamps to the cores, and turns a pthread worker that fails into an error suggesting wasmThreads: 1', () => {
    const child = runScript(
      'failing-worker',
      `import workerThreads from 'node:worker_threads';
import { initBackend } from ${sourceUrl('init-backend.ts')};
import { tf } from ${sourceUrl('index.ts')};
const RealWorker = workerThreads.Worker;
workerThreads.Worker = class extends RealWorker {
  constructor() { super('throw new Error("injected worker failure")', { eval: true }); }
};
try {
  await initBackend({ backend: 'wasm', wasmThreads: 64, log: (line) => console.warn(line) });
  console.log('started');
} catch (error) {
  console.log('rejected: ' + error.message);
}
workerThreads.Worker = RealWorker;
const info = await initBackend({ backend: 'wasm', wasmThreads: 1, log: false });
const a = tf.ones([8, 8]);
console.log('retry: threads ' + info.threads + ', sum ' + tf.sum(tf.matMul(a, a)).dataSync()[0]);
`,
    );
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stderr).toContain(`wasmThreads 64 clamped to ${Math.min(MAX_WASM_THREADS, availableParallelism())}`);
    expect(child.stdout).toMatch(
      /rejected: .*wasm threads: the threaded SIMD build did not start \(a pthread worker failed: injected worker failure\); use wasmThreads: 1/,
    );
    expect(child.stdout).toContain('retry: threads 1, sum 512');
  });
});
