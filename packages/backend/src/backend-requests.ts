// What can be asked of `initBackend`, and which backends are installed. This module imports no
// tfjs package: commands that only list or validate (a CLI's `--help`, `list`, a config check)
// read it through the `@selfsup/backend/requests` entry without loading or starting tfjs.

/** The package that provides a backend; also the names `initBackend` and `SELFSUP_BACKEND` accept. */
export type BackendProvider =
  | '@tensorflow/tfjs-node-gpu'
  | '@tensorflow/tfjs-node'
  | '@tensorflow/tfjs-backend-webgpu'
  | '@tensorflow/tfjs-backend-webgl'
  | '@tensorflow/tfjs-backend-wasm'
  | '@tensorflow/tfjs-backend-cpu';

/**
 * What to run on: `auto` (the best available: in Node tfjs-node-gpu, tfjs-node, wasm, cpu; in a
 * browser webgpu, webgl, wasm, cpu), a provider's short name, or `tensorflow` (tfjs-node-gpu,
 * else tfjs-node). `webgpu` runs in Node too once `navigator.gpu` exists (Dawn's `webgpu` package).
 */
export type BackendRequest =
  | 'auto'
  | 'tfjs-node-gpu'
  | 'tfjs-node'
  | 'tensorflow'
  | 'webgpu'
  | 'webgl'
  | 'wasm'
  | 'cpu';

/** Every request `initBackend` accepts, `auto` first. */
export const BACKEND_REQUESTS: readonly BackendRequest[] = [
  'auto',
  'tfjs-node-gpu',
  'tfjs-node',
  'tensorflow',
  'webgpu',
  'webgl',
  'wasm',
  'cpu',
];

/** One line per request: what it runs on (for listings, `--help` and generated docs). */
export const BACKEND_REQUEST_DESCRIPTIONS: Readonly<Record<BackendRequest, string>> = {
  auto: 'the best available: tfjs-node-gpu, tfjs-node, wasm, cpu in Node; webgpu, webgl, wasm, cpu in a page',
  'tfjs-node-gpu': 'TensorFlow with CUDA (install @tensorflow/tfjs-node-gpu)',
  'tfjs-node': 'TensorFlow on the CPU (install @tensorflow/tfjs-node)',
  tensorflow: 'tfjs-node-gpu, else tfjs-node',
  webgpu: "the GPU through WebGPU: in a page; in Node once navigator.gpu is set (Dawn's webgpu package)",
  webgl: 'the GPU through WebGL (browsers only)',
  wasm: 'WebAssembly with selfsup’s training kernels (always available)',
  cpu: 'plain JavaScript (slow; for checks)',
};

/** Every provider, best first, with the request that names it alone (`auto`'s order is per platform). */
export const BACKEND_PROVIDERS: ReadonlyArray<{ provider: BackendProvider; request: BackendRequest }> = [
  { provider: '@tensorflow/tfjs-node-gpu', request: 'tfjs-node-gpu' },
  { provider: '@tensorflow/tfjs-node', request: 'tfjs-node' },
  { provider: '@tensorflow/tfjs-backend-webgpu', request: 'webgpu' },
  { provider: '@tensorflow/tfjs-backend-webgl', request: 'webgl' },
  { provider: '@tensorflow/tfjs-backend-wasm', request: 'wasm' },
  { provider: '@tensorflow/tfjs-backend-cpu', request: 'cpu' },
];

export { installedBackends } from '#installed-backends';
