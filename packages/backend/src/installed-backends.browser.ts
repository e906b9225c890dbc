// A page's answer to "which backends are installed": the ones bundled with @selfsup/backend that
// this browser offers the API for. Imports no tfjs package.
import type { BackendRequest } from './backend-requests.js';

/**
 * The backends this page can try, best first: `webgpu` where `navigator.gpu` exists, `webgl` where
 * a canvas exists, `wasm` where WebAssembly exists, and `cpu`. Offered is not yet started:
 * `initBackend` may still skip one (no adapter, context lost) and says why.
 *
 * @example
 * import { installedBackends } from '@selfsup/backend/requests';
 * installedBackends(); // ['webgpu', 'webgl', 'wasm', 'cpu'] in a recent Chromium
 */
export function installedBackends(): BackendRequest[] {
  const page = globalThis as { navigator?: { gpu?: unknown }; OffscreenCanvas?: unknown; document?: unknown };
  const offered: BackendRequest[] = [];
  if (page.navigator?.gpu !== undefined) offered.push('webgpu');
  if (page.OffscreenCanvas !== undefined || page.document !== undefined) offered.push('webgl');
  if (typeof WebAssembly === 'object') offered.push('wasm');
  offered.push('cpu');
  return offered;
}
