import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import workerThreads from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { MAX_WASM_THREADS, type WasmBackendModule } from './wasm-backend-module.js';

/** What a pthread worker of the threaded SIMD build runs: tfjs's worker script and the Emscripten glue. */
interface ThreadedBuildSources {
  /** The worker script's text (tfjs ships it only as the string `wasmWorkerContents`). */
  workerScript: string;
  /** Path of the stand-alone glue script that defines `WasmBackendModuleThreadedSimd`. */
  glue: string;
}

function threadedBuildSources(): ThreadedBuildSources {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const glue = join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const workerModule = join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
  let exported: unknown;
  try {
    require.resolve(glue);
    exported = (require(workerModule) as { wasmWorkerContents?: unknown }).wasmWorkerContents;
  } catch (error) {
    throw new Error(
      `wasm threads: cannot read the threaded build's scripts from @tensorflow/tfjs-backend-wasm (${firstLine(error)}); use wasmThreads: 1`,
    );
  }
  if (typeof exported !== 'string') {
    throw new Error(`wasm threads: ${workerModule} exports no worker script; use wasmThreads: 1`);
  }
  // The string came from a template literal that turned the script's "\n" escapes into real
  // newlines inside its string literals; restore them, as tfjs does before making its blob.
  return { workerScript: exported.replace(/\n/g, '\\n'), glue };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** The threads the started wasm backend runs, or undefined while it has not started. */
function threadsInUse(wasm: WasmBackendModule): number | undefined {
  try {
    return wasm.getThreadsCount();
  } catch {
    return undefined;
  }
}

/** Clamps a requested thread count to what can run here, saying so in one line. */
function possibleThreads(requested: number, log: (line: string) => void): number {
  const cores = os.availableParallelism();
  const possible = Math.min(requested, MAX_WASM_THREADS, cores);
  if (possible < requested) {
    const limit =
      possible === MAX_WASM_THREADS
        ? `tfjs-backend-wasm runs at most ${MAX_WASM_THREADS}`
        : `this machine has ${cores} logical cores`;
    log(`selfsup: wasmThreads ${requested} clamped to ${possible} (${limit})`);
  }
  return possible;
}

/**
 * Prepares tfjs-backend-wasm to start its threaded SIMD build with `threads` threads under Node 20;
 * call it before `tf.setBackend('wasm')`, and call the function it returns once `setBackend` has
 * settled (also when it failed). `threads` = 1 keeps the single-threaded SIMD build and changes
 * nothing. More threads than logical cores or than {@link MAX_WASM_THREADS} are clamped, with one
 * line to `log`. A process has one wasm module: once the backend has started, its thread count is
 * fixed.
 *
 * tfjs-backend-wasm 4.22 ships the threaded build but cannot start it under Node; three runtime
 * patches, each tied to its cause, make it start:
 * 1. tfjs hard-codes the flag `WASM_HAS_MULTITHREAD_SUPPORT` to false under Node (tfjs issue
 *    #3830), so it always loads the single-threaded build: the flag is set to true, and the count
 *    given to `setThreadsCount`.
 * 2. Emscripten starts its 8 pthread workers with `new Worker(blob URL)` (tfjs's `locateFile`
 *    returns `URL.createObjectURL` of the worker script), which Node's `worker_threads` rejects,
 *    and then tells each worker to import a `Blob` holding the Node bundle's module factory, whose
 *    text refers to the bundle's own `require` aliases and fails in a worker. While the backend
 *    starts, `worker_threads.Worker` is a subclass that runs the worker script from its text
 *    (`eval: true`, no temporary file), points the worker's `load` message at the stand-alone
 *    Emscripten glue (`wasm-out/tfjs-backend-wasm-threaded-simd.js`, built with the same wasm
 *    binary and defining `WasmBackendModuleThreadedSimd`), and turns a worker that fails to start
 *    into a rejected `setBackend` instead of an uncaught exception (Emscripten rethrows worker
 *    errors) or a hang (Emscripten waits for every worker).
 * 3. The C++ side caps the pool at `emscripten_num_logical_cores() / 2` (under Node
 *    `os.cpus().length / 2`, 1 on a 2-core machine), whatever `setThreadsCount` asked:
 *    `init_with_threads_count(n)` uses `min(n, 8, cores / 2)`, and the core count is read once, when
 *    the module starts. While the backend starts, `os.cpus()` reports 2 × `threads` entries.
 *
 * Pthread workers run forever and Emscripten refs each running one, which would keep Node alive:
 * once the backend has started, the workers are unref'd (and `ref()` no longer applies), so a
 * process exits by itself when its code is done. The main thread blocks while workers compute, so
 * no work is cut short.
 *
 * @example
 * const wasm = await import('@tensorflow/tfjs-backend-wasm');
 * const started = await prepareWasmThreads(wasm, 2);
 * try { await tf.setBackend('wasm'); } finally { started(); }
 * @returns the function that ends the start-up patches; it throws, suggesting `wasmThreads: 1`, if
 *   a pthread worker failed to start.
 * @throws if the wasm backend already runs with another thread count, if not under Node, if shared
 *   WebAssembly memory is missing, or if the threaded build's scripts cannot be read; the message
 *   suggests `wasmThreads: 1`.
 */
export async function prepareWasmThreads(
  wasm: WasmBackendModule,
  threads: number,
  log: (line: string) => void = (line) => console.warn(line),
): Promise<() => void> {
  const running = threadsInUse(wasm);
  if (running !== undefined) {
    // Compare with the clamped count, but say nothing twice: the clamp was reported at start.
    const wanted = Math.min(threads, MAX_WASM_THREADS, os.availableParallelism());
    if (running !== wanted) {
      throw new Error(
        `wasm threads: the wasm backend already runs with ${running} thread${running === 1 ? '' : 's'} in this process and cannot restart with ${wanted}; choose wasmThreads before the first initBackend, or start a new process`,
      );
    }
    return () => {};
  }
  const wanted = possibleThreads(threads, log);
  if (wanted === 1) return () => {};
  if (typeof process === 'undefined' || process.versions?.node === undefined) {
    throw new Error(
      'wasm threads: selfsup sets up the threaded build only under Node; in browsers use wasmThreads: 1 (or serve with cross-origin isolation and let tfjs pick it)',
    );
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (error) {
    throw new Error(
      `wasm threads: this Node has no shared WebAssembly memory (${firstLine(error)}); use wasmThreads: 1`,
    );
  }
  const sources = threadedBuildSources();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(wanted);
  return startPatches(sources, wasm, wanted, log);
}

/** How long the pthread workers may take to load before the start counts as failed. */
const START_TIMEOUT_MS = 60_000;

/** Emscripten's main-thread handler of worker messages (set by Emscripten on each worker). */
type EmscriptenMessageHandler = (event: { data: unknown }) => void;

/** Applies patches 2 and 3 of {@link prepareWasmThreads}; returns the function that ends them. */
function startPatches(
  sources: ThreadedBuildSources,
  wasm: WasmBackendModule,
  threads: number,
  log: (line: string) => void,
): () => void {
  const BaseWorker = workerThreads.Worker;
  const cpus = os.cpus;
  const workers = new Set<TfjsPthreadWorker>();
  let failure: string | undefined;
  let started = false;
  let ended = false;

  /** Records the first start-up failure and makes tfjs reject its start (see patch 2). */
  function fail(worker: TfjsPthreadWorker | undefined, reason: string): void {
    if (ended || started) return;
    failure ??= reason;
    for (const target of worker === undefined ? workers : [worker]) target.abortTfjsStart();
  }
  // A worker that neither loads nor fails would leave setBackend waiting for ever.
  const watchdog = setTimeout(
    () => fail(undefined, `the pthread workers did not load within ${START_TIMEOUT_MS / 1000} s`),
    START_TIMEOUT_MS,
  );
  watchdog.unref();

  class TfjsPthreadWorker extends BaseWorker {
    /** Whether tfjs made this worker (from a blob URL); other workers pass through untouched. */
    readonly fromTfjs: boolean;
    #emscriptenOnError: ((error: unknown) => void) | undefined;
    #abortPending = false;

    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      const fromTfjs = typeof filename === 'string' && filename.startsWith('blob:');
      super(fromTfjs ? sources.workerScript : filename, fromTfjs ? { ...options, eval: true } : options);
      this.fromTfjs = fromTfjs;
      if (!fromTfjs) return;
      workers.add(this);
      // Listening at once also keeps an early error from being an unhandled 'error' event.
      this.on('error', (error) => fail(this, `a pthread worker failed: ${firstLine(error)}`));
      this.on('exit', (code) => {
        if (!(this as { loaded?: boolean }).loaded)
          fail(this, `a pthread worker exited with code ${code} before it loaded`);
      });
    }

    /**
     * Emscripten's worker error handler logs and rethrows, an uncaught exception: while the
     * backend starts, failures go to {@link fail} instead; afterwards Emscripten's handler runs.
     */
    get onerror(): (error: unknown) => void {
      return (error) => {
        if (started && this.#emscriptenOnError !== undefined) this.#emscriptenOnError(error);
      };
    }

    set onerror(handler: ((error: unknown) => void) | undefined) {
      this.#emscriptenOnError = handler;
    }

    override postMessage(message: unknown, transferList?: readonly workerThreads.TransferListItem[]): void {
      const load = message as { cmd?: unknown } | null;
      const isLoad = this.fromTfjs && typeof load === 'object' && load !== null && load.cmd === 'load';
      super.postMessage(isLoad ? { ...load, urlOrBlob: sources.glue } : message, transferList);
      if (isLoad && this.#abortPending) setImmediate(() => this.abortTfjsStart());
    }

    /** After start-up, idle pthreads must not keep Node alive; Emscripten refs each one it runs. */
    override ref(): void {
      if (!(this.fromTfjs && started)) super.ref();
    }

    /**
     * Makes tfjs reject its start: a worker may call a handler of the main thread's Module with a
     * `callHandler` message, and tfjs's `onAbort` handler rejects the backend's init. Emscripten
     * sets the message handler just before it sends `load`; until then, the abort waits.
     */
    abortTfjsStart(): void {
      if (ended) return;
      const onmessage = (this as { onmessage?: EmscriptenMessageHandler }).onmessage;
      if (onmessage === undefined) {
        this.#abortPending = true;
        return;
      }
      this.#abortPending = false;
      onmessage({ data: { cmd: 'callHandler', handler: 'onAbort', args: [failure] } });
    }
  }

  (workerThreads as { Worker: typeof workerThreads.Worker }).Worker = TfjsPthreadWorker;
  const reportedCores = Math.max(cpus().length, 2 * threads);
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: reportedCores }, (_, i) => real[i % real.length] as os.CpuInfo);
  };

  return () => {
    if (ended) return;
    ended = true;
    clearTimeout(watchdog);
    os.cpus = cpus;
    (workerThreads as { Worker: typeof workerThreads.Worker }).Worker = BaseWorker;
    // setBackend may also have failed without a worker failing (tfjs logs why).
    failure ??= threadsInUse(wasm) === undefined ? 'tfjs did not start it; see its warning above' : undefined;
    if (failure !== undefined) {
      for (const worker of workers) void worker.terminate();
      // Leave tfjs as it was, so that a retry with wasmThreads: 1 loads the single-threaded build.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      wasm.setThreadsCount(-1);
      throw new Error(`wasm threads: the threaded SIMD build did not start (${failure}); use wasmThreads: 1`);
    }
    started = true;
    for (const worker of workers) worker.unref();
    const running = threadsInUse(wasm);
    if (running !== threads) log(`selfsup: the threaded wasm build started with ${running} threads, not ${threads}`);
  };
}
