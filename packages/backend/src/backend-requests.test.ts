import { describe, expect, it } from 'vitest';
import { BACKEND_PROVIDERS, BACKEND_REQUESTS, installedBackends } from './backend-requests.js';
import { availableBackends, initBackend } from './init-backend.js';

describe('installedBackends', () => {
  it('names the installed providers in the order auto tries them: those that load, found without loading them', async () => {
    const installed = installedBackends();
    expect(installed).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    expect(installed).toEqual(BACKEND_PROVIDERS.map((p) => p.request).filter((r) => installed.includes(r)));
    expect(installed).toEqual(await availableBackends());
    for (const request of installed) expect(BACKEND_REQUESTS).toContain(request);
  });
});

describe('initBackend after a silent start', () => {
  it('still tells the first caller with a log which backends were skipped, once', async () => {
    const silent = await initBackend({ backend: 'auto', log: false });
    if (silent.skipped.length === 0) return; // every better backend is installed here: nothing to tell
    const lines: string[] = [];
    await initBackend({ backend: 'auto', log: (line) => lines.push(line) });
    await initBackend({ backend: 'auto', log: (line) => lines.push(line) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^selfsup: using .*; skipped @tensorflow\/tfjs-node-gpu: /);
  });
});
