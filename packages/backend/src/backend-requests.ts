// What can be asked of `initBackend`, and which backends are installed. This module imports no
// tfjs package: commands that only list or validate (a CLI's `--help`, `list`, a config check)
// read it through the `@selfsup/backend/requests` entry without loading or starting tfjs.
import { createRequire } from 'node:module';

/** The package that provides a backend; also the names `initBackend` and `SELFSUP_BACKEND` accept. */
export type BackendProvider =
  | '@tensorflow/tfjs-node-gpu'
  | '@tensorflow/tfjs-node'
  | '@tensorflow/tfjs-backend-wasm'
  | '@tensorflow/tfjs-backend-cpu';

/**
 * What to run on: `auto` (the best available, in the order tfjs-node-gpu, tfjs-node, wasm, cpu),
 * a provider's short name, or `tensorflow` (tfjs-node-gpu, else tfjs-node).
 */
export type BackendRequest = 'auto' | 'tfjs-node-gpu' | 'tfjs-node' | 'tensorflow' | 'wasm' | 'cpu';

/** Every request `initBackend` accepts, `auto` first. */
export const BACKEND_REQUESTS: readonly BackendRequest[] = [
  'auto',
  'tfjs-node-gpu',
  'tfjs-node',
  'tensorflow',
  'wasm',
  'cpu',
];

/** The providers in the order `auto` tries them, with the request that names each alone. */
export const BACKEND_PROVIDERS: ReadonlyArray<{ provider: BackendProvider; request: BackendRequest }> = [
  { provider: '@tensorflow/tfjs-node-gpu', request: 'tfjs-node-gpu' },
  { provider: '@tensorflow/tfjs-node', request: 'tfjs-node' },
  { provider: '@tensorflow/tfjs-backend-wasm', request: 'wasm' },
  { provider: '@tensorflow/tfjs-backend-cpu', request: 'cpu' },
];

// Resolved from this package, as `initBackend` imports them (an optional peer counts once the app installs it).
const require = createRequire(import.meta.url);

/**
 * The backends whose package is installed (resolvable from `@selfsup/backend`), in the order
 * `auto` tries them — found without importing or starting any of them, so it costs milliseconds.
 * Installed is not yet started: `initBackend` may still skip one whose native binding does not
 * load (it says why); `availableBackends()` imports each to tell.
 *
 * @example
 * import { installedBackends } from '@selfsup/backend/requests';
 * installedBackends(); // ['wasm', 'cpu'] without @tensorflow/tfjs-node
 */
export function installedBackends(): BackendRequest[] {
  return BACKEND_PROVIDERS.filter(({ provider }) => {
    try {
      require.resolve(provider);
      return true;
    } catch {
      return false;
    }
  }).map(({ request }) => request);
}
