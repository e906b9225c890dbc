// What `initBackend` does differently in a page: no environment, the `auto` order
// webgpu → webgl → wasm → cpu, wasm binaries fetched from `wasmPaths`, threads only when the page
// is cross-origin isolated.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendProvider } from './backend-requests.js';
import { MAX_WASM_THREADS, type WasmBackendModule } from './wasm-backend-module.js';

/** The platform this module serves. */
export const PLATFORM: 'node' | 'browser' = 'browser';

/** The providers `auto` tries, best first. */
export const AUTO_PROVIDERS: readonly BackendProvider[] = [
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
];

/** A page has no environment variables: always unset. */
export function environmentSetting(_name: 'SELFSUP_BACKEND' | 'SELFSUP_WASM_THREADS'): string | undefined {
  return undefined;
}

/** Logical cores the browser reports. */
export function hardwareThreads(): number {
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

function crossOriginIsolated(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/** Wasm threads when the options do not say: up to 4 on a cross-origin isolated page, else 1. */
export function defaultWasmThreads(): number {
  return crossOriginIsolated() ? Math.max(1, Math.min(hardwareThreads(), 4)) : 1;
}

/** How the wasm backend is prepared. */
export interface WasmPreparation {
  threads: number;
  log: (line: string) => void;
  /**
   * Where the `.wasm` binaries of `@tensorflow/tfjs-backend-wasm` are served. Default `tfjs-wasm/`
   * beside the page (what `selfsupWasmFiles()` from `@selfsup/backend/vite` serves).
   */
  wasmPaths: string | Record<string, string> | undefined;
}

/** The default place of the wasm binaries: `tfjs-wasm/` under the document's base URL. */
const DEFAULT_WASM_PATH = 'tfjs-wasm/';

/**
 * Points tfjs at the wasm binaries and chooses the build: the threaded SIMD build only when more
 * than one thread is asked for and the page is cross-origin isolated (else it says why, once, and
 * runs one thread).
 */
export async function prepareWasm(wasm: WasmBackendModule, preparation: WasmPreparation): Promise<() => void> {
  const base = (globalThis as { document?: { baseURI?: string } }).document?.baseURI ?? globalThis.location?.href;
  wasm.setWasmPaths(
    preparation.wasmPaths ?? (base === undefined ? DEFAULT_WASM_PATH : new URL(DEFAULT_WASM_PATH, base).href),
  );
  let threads = Math.min(preparation.threads, MAX_WASM_THREADS, hardwareThreads());
  if (threads > 1 && !crossOriginIsolated()) {
    preparation.log(
      `selfsup: wasmThreads ${preparation.threads} needs a cross-origin isolated page (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp); using 1`,
    );
    threads = 1;
  } else if (threads < preparation.threads) {
    preparation.log(`selfsup: wasmThreads ${preparation.threads} clamped to ${threads}`);
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  if (threads === 1) return () => {};
  wasm.setThreadsCount(threads);
  return reportCoresForThreads(threads);
}

/**
 * tfjs-backend-wasm 4.22 caps its thread pool at `navigator.hardwareConcurrency / 2` (read once,
 * while the module starts: it assumes two hardware threads per core), so on a 2-thread machine it
 * would run 1. While the backend starts, the page's navigator reports `2 × threads`; the returned
 * function restores it. (Node does the same with `os.cpus`, in wasm-threads.node.ts.)
 */
function reportCoresForThreads(threads: number): () => void {
  const navigator = globalThis.navigator as Navigator | undefined;
  if (navigator === undefined) return () => {};
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  return () => {
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  };
}

/** A page's `navigator.gpu` is the browser's own: nothing to provide. */
export async function provideWebgpu(): Promise<void> {}

/** Throws, with the reason, when a GPU backend cannot run in this page. */
export function checkGpuBackend(request: 'webgpu' | 'webgl'): void {
  if (request === 'webgpu' && (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === undefined) {
    throw new Error('this browser has no navigator.gpu (WebGPU needs a secure origin: https, localhost or 127.0.0.1)');
  }
}

/** tfjs routes `indexeddb://`, `localstorage://` and `downloads://` in a page by itself. */
export function registerPlatformIO(): void {}
