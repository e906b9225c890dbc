import * as tf from '@tensorflow/tfjs-core';
import {
  AUTO_PROVIDERS,
  checkGpuBackend,
  defaultWasmThreads,
  environmentSetting,
  hardwareThreads,
  PLATFORM,
  prepareWasm,
  provideWebgpu,
  registerPlatformIO,
} from '#backend-platform';
import { BACKEND_PROVIDERS, BACKEND_REQUESTS, type BackendProvider, type BackendRequest } from './backend-requests.js';
import { registerKernelFixes } from './kernels/kernel-fixes.js';
import { registerWasmTrainingKernels } from './kernels/wasm-training-kernels.js';
import { guardWebgpuSyncReads } from './webgpu-sync-reads.js';

/** The tfjs backends selfsup runs on, as tfjs names them. */
export type BackendName = 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface InitBackendOptions {
  /** Which backend to use; default: `SELFSUP_BACKEND` from the environment (Node), else `auto`. */
  backend?: BackendRequest;
  /**
   * Threads for the wasm backend. 1 uses the single-threaded SIMD build; more uses the threaded
   * SIMD build (see the README for when it pays). Default: `SELFSUP_WASM_THREADS` or 1 in Node; in
   * a page up to 4 when it is cross-origin isolated (threads need it), else 1.
   */
  wasmThreads?: number;
  /**
   * In a page: where the `.wasm` binaries of `@tensorflow/tfjs-backend-wasm` are served — a URL
   * prefix ending in `/`, or a map from file name to URL. Default `tfjs-wasm/` beside the page,
   * which `selfsupWasmFiles()` from `@selfsup/backend/vite` serves. Node reads them from the package.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * Register selfsup's wasm training kernels (default true). Corrections of wrong tfjs kernels
   * (cpu, webgl) are registered regardless.
   */
  trainingKernels?: boolean;
  /** Where the one line about skipped backends goes; default `console.warn`, `false` for silence. */
  log?: ((line: string) => void) | false;
}

/** A backend that `auto` passed over, and why. */
export interface SkippedBackend {
  provider: BackendProvider;
  reason: string;
}

/** The backend selfsup runs on after {@link initBackend}. */
export interface BackendInfo {
  /** The tfjs backend name (`tf.getBackend()`). */
  name: BackendName;
  /** The package providing it. */
  provider: BackendProvider;
  /** Threads the backend computes with. */
  threads: number;
  /** Whether the wasm backend runs its SIMD build (false for other backends). */
  simd: boolean;
  /** Whether selfsup's wasm training kernels are registered and in use. */
  trainingKernels: boolean;
  /** Better backends that were not available, with the reason. */
  skipped: readonly SkippedBackend[];
}

interface Candidate {
  provider: BackendProvider;
  name: BackendName;
  /**
   * Makes the backend available to tfjs (imports its package); throws with the reason if it
   * cannot. May return a function to run once the backend has started.
   */
  load(options: ResolvedOptions): Promise<(() => void) | undefined>;
}

interface ResolvedOptions {
  wasmThreads: number;
  wasmPaths: string | Record<string, string> | undefined;
  /** Where one-line notices (a clamped thread count) go; silent when the caller passed `log: false`. */
  log: (line: string) => void;
}

/** Imports an optional package by a name TypeScript does not try to resolve at build time. */
async function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (
    /Cannot find (module|package)|Could not resolve/.test(message) ||
    (error as { code?: string })?.code === 'ERR_MODULE_NOT_FOUND'
  ) {
    return 'not installed';
  }
  return message.split('\n')[0]?.trim() || 'failed to load';
}

const CANDIDATES: readonly Candidate[] = [
  {
    provider: '@tensorflow/tfjs-node-gpu',
    name: 'tensorflow',
    async load() {
      await importOptional('@tensorflow/tfjs-node-gpu');
      return undefined;
    },
  },
  {
    provider: '@tensorflow/tfjs-node',
    name: 'tensorflow',
    async load() {
      await importOptional('@tensorflow/tfjs-node');
      return undefined;
    },
  },
  {
    provider: '@tensorflow/tfjs-backend-webgpu',
    name: 'webgpu',
    async load() {
      // tfjs-backend-webgpu registers itself only if navigator.gpu exists when it loads; in Node,
      // Dawn's `webgpu` package provides it when installed.
      await provideWebgpu();
      checkGpuBackend('webgpu');
      await import('@tensorflow/tfjs-backend-webgpu');
      return undefined;
    },
  },
  {
    provider: '@tensorflow/tfjs-backend-webgl',
    name: 'webgl',
    async load() {
      checkGpuBackend('webgl');
      await import('@tensorflow/tfjs-backend-webgl');
      return undefined;
    },
  },
  {
    provider: '@tensorflow/tfjs-backend-wasm',
    name: 'wasm',
    async load(options) {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      return prepareWasm(wasm, { threads: options.wasmThreads, log: options.log, wasmPaths: options.wasmPaths });
    },
  },
  {
    provider: '@tensorflow/tfjs-backend-cpu',
    name: 'cpu',
    async load() {
      await import('@tensorflow/tfjs-backend-cpu');
      return undefined;
    },
  },
];

const REQUEST_TO_PROVIDERS: Record<BackendRequest, readonly BackendProvider[]> = {
  auto: AUTO_PROVIDERS,
  'tfjs-node-gpu': ['@tensorflow/tfjs-node-gpu'],
  'tfjs-node': ['@tensorflow/tfjs-node'],
  tensorflow: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
  webgpu: ['@tensorflow/tfjs-backend-webgpu'],
  webgl: ['@tensorflow/tfjs-backend-webgl'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  cpu: ['@tensorflow/tfjs-backend-cpu'],
};

function parseRequest(value: string, source: string): BackendRequest {
  if ((BACKEND_REQUESTS as readonly string[]).includes(value)) return value as BackendRequest;
  throw new Error(`${source}: '${value}' is not a backend; known: ${BACKEND_REQUESTS.join(', ')}`);
}

function parseThreads(value: number | string, source: string): number {
  const threads = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`${source}: wasm threads must be a positive integer, got '${value}'`);
  }
  return threads;
}

let current: { key: string; info: BackendInfo } | undefined;

/**
 * Picks and starts the tfjs backend every selfsup package computes on, and registers the kernels
 * training needs on it: on wasm the missing and faster ones, on cpu and webgl corrections. Safe to call many times: a call with the same options returns the
 * running backend.
 *
 * @example
 * const info = await initBackend(); // or initBackend({ backend: 'wasm' }), or SELFSUP_BACKEND=cpu
 * console.log(info.name, info.provider, info.threads);
 * @throws if the requested backend is unknown or cannot start, listing those that can.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const envBackend = environmentSetting('SELFSUP_BACKEND');
  const request =
    options.backend !== undefined
      ? parseRequest(options.backend, 'initBackend({ backend })')
      : envBackend !== undefined
        ? parseRequest(envBackend, 'SELFSUP_BACKEND')
        : 'auto';
  const envThreads = environmentSetting('SELFSUP_WASM_THREADS');
  const wasmThreads =
    options.wasmThreads !== undefined
      ? parseThreads(options.wasmThreads, 'initBackend({ wasmThreads })')
      : envThreads !== undefined
        ? parseThreads(envThreads, 'SELFSUP_WASM_THREADS')
        : defaultWasmThreads();
  const trainingKernels = options.trainingKernels ?? true;
  const key = JSON.stringify({ request, wasmThreads, trainingKernels, wasmPaths: options.wasmPaths });
  if (current !== undefined && current.key === key && tf.getBackend() === current.info.name) {
    // Started silently for a check (a config that makes tasks): the first caller with a log still hears why.
    reportSkipped(options.log, current.info, request);
    return current.info;
  }

  // The union package registers tfjs's gradients (tfjs-core alone has none under Node).
  await import('@tensorflow/tfjs');
  registerPlatformIO();
  const skipped: SkippedBackend[] = [];
  const log = options.log === false ? () => {} : (options.log ?? ((line: string) => console.warn(line)));
  const resolved: ResolvedOptions = { wasmThreads, wasmPaths: options.wasmPaths, log };
  for (const provider of REQUEST_TO_PROVIDERS[request]) {
    const candidate = CANDIDATES.find((c) => c.provider === provider) as Candidate;
    try {
      const started = await candidate.load(resolved);
      try {
        if (!(await tf.setBackend(candidate.name))) {
          throw new Error(`tfjs could not start the '${candidate.name}' backend`);
        }
        await tf.ready();
      } finally {
        started?.();
      }
    } catch (error) {
      skipped.push({ provider, reason: firstLine(error) + platformHint(provider) });
      continue;
    }
    const info = await describe(candidate, trainingKernels, skipped);
    if (info.trainingKernels) await registerWasmTrainingKernels();
    // Not options: a kernel that computes a wrong result, or a read that returns zeros, is corrected
    // or made to say so.
    // cpu's always: tfjs computes on cpu beside any backend (tests compare against it, small ops fall back).
    registerKernelFixes('cpu');
    if (info.name === 'webgl' || info.name === 'webgpu') registerKernelFixes(info.name);
    if (info.name === 'webgpu') guardWebgpuSyncReads();
    reportSkipped(options.log, info, request);
    current = { key, info };
    return info;
  }
  throw new Error(
    `initBackend: no backend could start for '${request}': ` +
      `${skipped.map((s) => `${s.provider} (${s.reason})`).join('; ')}. ` +
      `Available here: ${(await availableBackends()).join(', ') || 'none'}. ` +
      `Known requests: ${BACKEND_REQUESTS.join(', ')}.`,
  );
}

/** What a page must do for a backend that failed to start there (the wasm binaries must be served). */
function platformHint(provider: BackendProvider): string {
  if (PLATFORM !== 'browser' || provider !== '@tensorflow/tfjs-backend-wasm') return '';
  return " (serve @tensorflow/tfjs-backend-wasm/dist/*.wasm at initBackend's wasmPaths, default 'tfjs-wasm/' beside the page: selfsupWasmFiles() from @selfsup/backend/vite does it)";
}

async function describe(
  candidate: Candidate,
  trainingKernels: boolean,
  skipped: SkippedBackend[],
): Promise<BackendInfo> {
  const name = candidate.name;
  let threads = 1;
  let simd = false;
  if (name === 'wasm') {
    simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    threads = wasmThreadsInUse();
  } else if (name === 'tensorflow') {
    threads = hardwareThreads();
  }
  return {
    name,
    provider: candidate.provider,
    threads,
    simd,
    trainingKernels: name === 'wasm' && trainingKernels,
    skipped,
  };
}

function wasmThreadsInUse(): number {
  const backend = tf.findBackend('wasm') as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } } | null;
  return backend?.wasm?.tfjs?.getThreadsCount?.() ?? 1;
}

const reportedLines = new Set<string>();

/** Says once per process, in one line, which better backends were skipped and why. */
function reportSkipped(log: InitBackendOptions['log'], info: BackendInfo, request: BackendRequest): void {
  if (log === false || info.skipped.length === 0) return;
  const reasons = info.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
  const line = `selfsup: using ${info.name} (${info.provider}); skipped ${reasons}${request === 'auto' ? '' : ` (requested '${request}')`}`;
  if (reportedLines.has(line)) return;
  reportedLines.add(line);
  (log ?? ((text: string) => console.warn(text)))(line);
}

/**
 * The requests that can start here, probed by importing each provider (does not switch backend).
 * `installedBackends()` (`@selfsup/backend/requests`) tells what is installed without importing.
 */
export async function availableBackends(): Promise<BackendRequest[]> {
  const available: BackendRequest[] = [];
  for (const { provider, request } of BACKEND_PROVIDERS) {
    const candidate = CANDIDATES.find((c) => c.provider === provider) as Candidate;
    try {
      if (candidate.name === 'tensorflow')
        await candidate.load({ wasmThreads: 1, wasmPaths: undefined, log: () => {} });
      else if (candidate.name === 'webgpu' || candidate.name === 'webgl') checkGpuBackend(candidate.name);
      else if (candidate.name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
      else await import('@tensorflow/tfjs-backend-cpu');
      available.push(request);
    } catch {
      // not available
    }
  }
  return available;
}
