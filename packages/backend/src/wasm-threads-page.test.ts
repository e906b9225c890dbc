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
  hardwareConcurrency: number;
  coresBefore: number;
  losses: number[];
}

const entry = join(import.meta.dirname, '..', 'bench', 'browser-step-page.ts');
const query = { batch: 16, steps: 1 };

describe('wasm threads in a page', () => {
  it('runs 2 threads on a cross-origin isolated page (the threaded build), 1 elsewhere, with the same loss', async () => {
    const isolated = await runChromiumPage<PageResult>({
      entry,
      query: { ...query, threads: 2 },
      crossOriginIsolated: true,
    });
    expect(isolated.isolated).toBe(true);
    expect(isolated.threadedBuild).toBe(true);
    expect(isolated.info).toMatchObject({ name: 'wasm', threads: 2, simd: true, trainingKernels: true });
    expect(isolated.hardwareConcurrency, 'the page sees its real core count again').toBe(isolated.coresBefore);

    const plain = await runChromiumPage<PageResult>({ entry, query: { ...query, threads: 2 } });
    expect(plain.isolated).toBe(false);
    expect(plain.threadedBuild).toBe(false);
    expect(plain.info).toMatchObject({ name: 'wasm', threads: 1, trainingKernels: true });

    expect(isolated.losses.length).toBe(2);
    for (const [i, loss] of plain.losses.entries()) expect(isolated.losses[i]).toBeCloseTo(loss, 4);
  });
});
