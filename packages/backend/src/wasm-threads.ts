import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import workerThreads from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';

/** The parts of `@tensorflow/tfjs-backend-wasm` that thread set-up uses. */
export interface WasmBackendModule {
  setThreadsCount(threads: number): void;
}

let workerPatched = false;
/** Whether the backend has started: pthread workers made before are unref'd then, later ones at once. */
let backendStarted = false;
const startingWorkers = new Set<workerThreads.Worker>();

/**
 * The files a pthread worker of tfjs-backend-wasm's threaded SIMD build needs under Node: the
 * stand-alone Emscripten glue script (`wasm-out/tfjs-backend-wasm-threaded-simd.js`, which defines
 * the module factory) and a worker script. tfjs ships the worker script only as a string
 * (`wasm-out/…worker.js` exports `wasmWorkerContents`); it is written once to a file in the OS
 * temp folder, named by its hash.
 */
export function threadedBuildFiles(): { glue: string; worker: string } {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const glue = join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const workerModule = join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
  for (const file of [glue, workerModule]) {
    if (!existsSync(file))
      throw new Error(`wasm threads: ${file} is missing from @tensorflow/tfjs-backend-wasm; use wasmThreads: 1`);
  }
  const exported = (require(workerModule) as { wasmWorkerContents?: unknown }).wasmWorkerContents;
  if (typeof exported !== 'string')
    throw new Error(`wasm threads: ${workerModule} has no worker script; use wasmThreads: 1`);
  // The template literal turned the script's "\n" escapes into real newlines (inside string
  // literals); restore them, as tfjs does before making its blob.
  const contents = exported.replace(/\n/g, '\\n');
  const worker = join(
    os.tmpdir(),
    `selfsup-tfjs-wasm-worker-${createHash('sha256').update(contents).digest('hex').slice(0, 16)}.cjs`,
  );
  if (!existsSync(worker)) {
    const staging = `${worker}.${process.pid}.tmp`;
    writeFileSync(staging, contents);
    renameSync(staging, worker);
  }
  return { glue, worker };
}

/**
 * Makes Emscripten's pthread workers start under Node (patch 2 of {@link prepareWasmThreads}):
 * `worker_threads.Worker` is replaced by a subclass that
 * - loads the worker script from its file when Emscripten hands it a `blob:` URL (Node's Worker
 *   cannot run blob URLs), and
 * - points the worker's `load` message at the stand-alone glue script instead of the Node bundle
 *   tfjs was loaded from (that bundle is CommonJS with `require`s relative to its own folder and
 *   cannot be evaluated as a worker script), and
 * - unrefs each worker once the backend has started (a worker unref'd earlier would let Node exit
 *   while tfjs still awaits it), so idle pthreads do not keep the process alive afterwards.
 */
function patchWorkerForEmscripten(files: { glue: string; worker: string }): void {
  if (workerPatched) return;
  const Base = workerThreads.Worker;
  class EmscriptenWorker extends Base {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      const file = typeof filename === 'string' && filename.startsWith('blob:') ? files.worker : filename;
      super(file, options);
      if (backendStarted) this.unref();
      else startingWorkers.add(this);
    }

    override postMessage(message: unknown, transferList?: readonly workerThreads.TransferListItem[]): void {
      const load = message as { cmd?: string; urlOrBlob?: unknown } | null;
      const rewritten =
        load !== null && typeof load === 'object' && load.cmd === 'load' ? { ...load, urlOrBlob: files.glue } : message;
      super.postMessage(rewritten, transferList);
    }
  }
  (workerThreads as { Worker: typeof workerThreads.Worker }).Worker = EmscriptenWorker;
  workerPatched = true;
}

/**
 * Prepares tfjs-backend-wasm to start its threaded SIMD build with `threads` threads; call it
 * before `tf.setBackend('wasm')` and call the returned function after the backend started.
 * `threads` = 1 keeps the single-threaded SIMD build and changes nothing.
 *
 * Three runtime patches, each for one cause (tfjs 4.22 under Node):
 * 1. tfjs hard-codes `WASM_HAS_MULTITHREAD_SUPPORT` to false under Node (tfjs issue #3830): the
 *    flag is set to true here.
 * 2. Emscripten starts pthreads from a `blob:` URL and with the Node bundle as the script to
 *    import; see {@link patchWorkerForEmscripten}.
 * 3. The C++ side sizes its thread pool from `emscripten_num_logical_cores() / 2` (Node:
 *    `os.cpus().length / 2`, i.e. 1 on a 2-core machine) even when more threads are requested:
 *    `os.cpus` reports 2 × `threads` cores until the backend has started.
 *
 * @returns the function that undoes patch 3.
 * @throws if not under Node or the threaded build's files are missing; the message suggests
 *   `wasmThreads: 1`.
 */
export async function prepareWasmThreads(wasm: WasmBackendModule, threads: number): Promise<() => void> {
  if (threads === 1) return () => {};
  if (typeof process === 'undefined' || process.versions?.node === undefined) {
    throw new Error(
      'wasm threads: the threaded build is set up by selfsup only under Node; in browsers use wasmThreads: 1 (or serve with cross-origin isolation and let tfjs pick it)',
    );
  }
  const files = threadedBuildFiles();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  patchWorkerForEmscripten(files);
  const cpus = os.cpus;
  const reported = Math.max(cpus().length, 2 * threads);
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: reported }, (_, i) => real[i % real.length] as os.CpuInfo);
  };
  backendStarted = false;
  return () => {
    os.cpus = cpus;
    backendStarted = true;
    for (const worker of startingWorkers) worker.unref();
    startingWorkers.clear();
  };
}
