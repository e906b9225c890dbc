// Wasm threads in a real page: Chromium grants SharedArrayBuffer only to a cross-origin isolated
// page, and only there may initBackend run the threaded build. The page is bundled for the browser
// and served on 127.0.0.1 (with and without COOP/COEP); the same seeded training step must give
// the same loss on 2 threads as on 1.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChromiumPage } from './testing/test-chromium-page.js';

interface PageResult {
  info: { name: string; threads: number; simd: boolean; trainingKernels: boolean };
  isolated: boolean;
  threadedBuild: boolean;
  losses: number[];
}

const entry = join(import.meta.dirname, '..', 'bench', 'browser-step-page.ts');
const query = { batch: 16, steps: 1 };

describe('wasm threads in a page', () => {
  // Known gap: on the isolated page the threaded build loads and trains, but tfjs 4.22 reports (and
  // XNNPACK runs) 1 thread there; Node's set-up (wasm-threads.node.ts) gets 2. Until that is
  // solved `info.threads` says the truth and the docs say threads in a page are not yet a speed-up.
  it('starts the threaded build on a cross-origin isolated page, the single-threaded one elsewhere, with the same loss', async () => {
    const isolated = await runChromiumPage<PageResult>({
      entry,
      query: { ...query, threads: 2 },
      crossOriginIsolated: true,
    });
    expect(isolated.isolated).toBe(true);
    expect(isolated.threadedBuild).toBe(true);
    expect(isolated.info).toMatchObject({ name: 'wasm', simd: true, trainingKernels: true });

    const plain = await runChromiumPage<PageResult>({ entry, query: { ...query, threads: 2 } });
    expect(plain.isolated).toBe(false);
    expect(plain.threadedBuild).toBe(false);
    expect(plain.info).toMatchObject({ name: 'wasm', threads: 1, trainingKernels: true });

    expect(isolated.losses.length).toBe(2);
    for (const [i, loss] of plain.losses.entries()) expect(isolated.losses[i]).toBeCloseTo(loss, 4);
  });
});
