import { type BackendInfo, type BackendRequest, initBackend } from '@selfsup/backend';
import { byId } from './dom.js';

const STORAGE_KEY = 'selfsup-studio-backend';
const REQUESTS: readonly BackendRequest[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** The backend asked for: `?backend=` in the address, else the last one picked, else `auto`. */
function requested(): BackendRequest {
  const asked = new URLSearchParams(location.search).get('backend') ?? localStorage.getItem(STORAGE_KEY) ?? 'auto';
  return (REQUESTS as readonly string[]).includes(asked) ? (asked as BackendRequest) : 'auto';
}

/** `wasm · 1 thread · SIMD · training kernels`: the backend in use, in words. */
export function describeBackend(info: BackendInfo): string {
  const parts: string[] = [info.name];
  if (info.name === 'wasm') parts.push(`${info.threads} thread${info.threads === 1 ? '' : 's'}`);
  if (info.simd) parts.push('SIMD');
  if (info.trainingKernels) parts.push('training kernels');
  return parts.join(' · ');
}

/**
 * Wires the backend `<select>`: starts the backend asked for, and another when the user picks one
 * (refused while `busy()`, e.g. during training). `onChange` hears every backend started.
 */
export async function setUpBackendChoice(
  onChange: (info: BackendInfo) => void,
  busy: () => boolean,
): Promise<BackendInfo> {
  const select = byId<HTMLSelectElement>('backend');
  const status = byId('backend-status');
  let current: BackendInfo | undefined;
  const start = async (request: BackendRequest): Promise<BackendInfo> => {
    status.textContent = `starting ${request}…`;
    try {
      const info = await initBackend({ backend: request, log: (line) => console.info(line) });
      current = info;
      status.textContent = describeBackend(info);
      status.title = info.skipped.map((s) => `skipped ${s.provider}: ${s.reason}`).join('\n');
      status.dataset.backend = info.name;
      onChange(info);
      return info;
    } catch (error) {
      status.textContent = `${request} failed: ${(error as Error).message}`;
      throw error;
    }
  };
  select.value = requested();
  select.addEventListener('change', async () => {
    if (busy()) {
      select.value = current === undefined ? 'auto' : select.value;
      status.textContent = 'stop training before switching the backend';
      return;
    }
    localStorage.setItem(STORAGE_KEY, select.value);
    const address = new URL(location.href);
    address.searchParams.set('backend', select.value);
    history.replaceState(null, '', address); // a reload keeps the backend picked
    await start(select.value as BackendRequest).catch(() => {});
  });
  try {
    return await start(select.value as BackendRequest);
  } catch {
    select.value = 'cpu';
    return start('cpu');
  }
}
