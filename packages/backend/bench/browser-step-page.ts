// The page side of `browser-step.ts`: starts the wasm backend in Chromium as an app would and
// times the reference training step; the result goes to `globalThis.selfsupBench`.
import { initBackend } from '../src/init-backend.js';
import { stepSeconds } from './step-timing.js';

const parameters = new URLSearchParams(globalThis.location.search);
const batch = Number(parameters.get('batch') ?? '512');
const steps = Number(parameters.get('steps') ?? '3');
(globalThis as { selfsupBench?: unknown }).selfsupBench = initBackend({ backend: 'wasm', log: false }).then(
  (info) => ({ info, ...stepSeconds(batch, steps) }),
  (error: unknown) => ({ error: String(error) }),
);
