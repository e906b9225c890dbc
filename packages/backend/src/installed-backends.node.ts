// Node's answer to "which backends are installed": resolvable from this package, without importing
// any of them. Imports no tfjs package (read through the `@selfsup/backend/requests` entry).
import { createRequire } from 'node:module';
import { BACKEND_PROVIDERS, type BackendRequest } from './backend-requests.js';

// Resolved from this package, as `initBackend` imports them (an optional peer counts once the app installs it).
const require = createRequire(import.meta.url);

/**
 * The backends whose package is installed (resolvable from `@selfsup/backend`), best first — found
 * without importing or starting any of them, so it costs milliseconds. WebGL never runs in Node;
 * WebGPU counts once something has set `navigator.gpu` (Dawn's `webgpu` package). Installed is not
 * yet started: `initBackend` may still skip one whose native binding does not load (it says why);
 * `availableBackends()` imports each to tell.
 *
 * @example
 * import { installedBackends } from '@selfsup/backend/requests';
 * installedBackends(); // ['wasm', 'cpu'] without @tensorflow/tfjs-node
 */
export function installedBackends(): BackendRequest[] {
  return BACKEND_PROVIDERS.filter(({ provider, request }) => {
    if (request === 'webgl') return false;
    if (request === 'webgpu' && (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === undefined) {
      return false;
    }
    try {
      require.resolve(provider);
      return true;
    } catch {
      return false;
    }
  }).map(({ request }) => request);
}
