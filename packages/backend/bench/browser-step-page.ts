// The page side of `browser-step.ts` (and of the threads test): starts the wasm backend in
// Chromium as an app would, with the threads asked for, and times the reference training step.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/init-backend.js';
import { stepSeconds } from './step-timing.js';

const parameters = new URLSearchParams(globalThis.location.search);
const batch = Number(parameters.get('batch') ?? '512');
const steps = Number(parameters.get('steps') ?? '3');
const threads = parameters.get('threads');
const coresBefore = globalThis.navigator.hardwareConcurrency;
(globalThis as { selfsupPage?: unknown }).selfsupPage = initBackend({
  backend: 'wasm',
  log: false,
  ...(threads === null ? {} : { wasmThreads: Number(threads) }),
}).then(
  (info) => ({
    info,
    isolated: globalThis.crossOriginIsolated,
    coresBefore,
    hardwareConcurrency: globalThis.navigator.hardwareConcurrency,
    // Emscripten's pthread runtime exists only in the threaded build.
    threadedBuild: typeof (tf.findBackend('wasm') as { wasm?: { PThread?: unknown } }).wasm?.PThread === 'object',
    ...stepSeconds(batch, steps),
  }),
  (error: unknown) => ({ error: String(error) }),
);
