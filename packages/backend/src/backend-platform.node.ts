// What `initBackend` does differently under Node: environment settings, the `auto` order (native
// TensorFlow first), threaded wasm through worker_threads, and `file://` model IO.
import { availableParallelism } from 'node:os';
import type { BackendProvider } from './backend-requests.js';
import { registerFileSystemRouter } from './file-system-io.node.js';
import type { WasmBackendModule } from './wasm-backend-module.js';
import { prepareWasmThreads } from './wasm-threads.node.js';

/** The platform this module serves. */
export const PLATFORM: 'node' | 'browser' = 'node';

/** The providers `auto` tries, best first. WebGPU under Node only when asked for by name. */
export const AUTO_PROVIDERS: readonly BackendProvider[] = [
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
];

/** A setting from the environment (`SELFSUP_BACKEND`, `SELFSUP_WASM_THREADS`); empty counts as unset. */
export function environmentSetting(name: 'SELFSUP_BACKEND' | 'SELFSUP_WASM_THREADS'): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Logical cores this process may use. */
export function hardwareThreads(): number {
  return availableParallelism();
}

/** Wasm threads when neither the options nor the environment say: 1 (see the README for when more pay). */
export function defaultWasmThreads(): number {
  return 1;
}

/** How the wasm backend is prepared; `wasmPaths` is for pages (Node reads the binaries from the package). */
export interface WasmPreparation {
  threads: number;
  log: (line: string) => void;
  wasmPaths: string | Record<string, string> | undefined;
}

/**
 * Prepares tfjs-backend-wasm before `setBackend('wasm')`; the returned function runs once the
 * backend has started (or failed).
 */
export async function prepareWasm(wasm: WasmBackendModule, preparation: WasmPreparation): Promise<() => void> {
  if (preparation.wasmPaths !== undefined) wasm.setWasmPaths(preparation.wasmPaths);
  return prepareWasmThreads(wasm, preparation.threads, preparation.log);
}

/** Dawn's WebGPU for Node, an optional dependency; named in a variable so no bundler follows it. */
const DAWN_PACKAGE = 'webgpu';

/**
 * Gives Node a `navigator.gpu` from Dawn's `webgpu` package when none is set and the package is
 * installed. Runs before tfjs-backend-webgpu loads: it registers itself only if `navigator.gpu`
 * exists then. Without the package it does nothing, and {@link checkGpuBackend} says what to do.
 */
export async function provideWebgpu(): Promise<void> {
  const holder = globalThis as { navigator?: { gpu?: unknown } };
  if (holder.navigator?.gpu !== undefined) return;
  let dawn: { create(flags: string[]): unknown; globals: object };
  try {
    dawn = (await import(/* @vite-ignore */ DAWN_PACKAGE)) as typeof dawn;
  } catch {
    return;
  }
  // tfjs-backend-webgpu names the WebGPU globals (GPUBufferUsage, …) directly.
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  if (holder.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
}

/** Throws, with the reason, when a GPU backend cannot run here (before its package is imported). */
export function checkGpuBackend(request: 'webgpu' | 'webgl'): void {
  if (request === 'webgl') {
    throw new Error('WebGL needs a browser; in Node use wasm, or webgpu with navigator.gpu from Dawn');
  }
  if ((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === undefined) {
    throw new Error(
      "navigator.gpu is not set and Dawn's `webgpu` package is not installed: npm install webgpu (without a GPU it runs on Mesa lavapipe >= 25), or set navigator.gpu before initBackend",
    );
  }
}

/** Registers the model IO this platform offers beyond tfjs's own: `file://` URLs. */
export function registerPlatformIO(): void {
  registerFileSystemRouter();
}
