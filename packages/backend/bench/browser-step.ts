/**
 * `pnpm --filter @selfsup/backend bench:browser`: the reference training step (the main job's
 * encoder, NT-Xent, Adam; `reference-encoder.ts`) on wasm in Chromium beside the same step on wasm
 * in Node, measured in the same run on the same machine, one thread each.
 *
 * The page is bundled with esbuild for `platform: 'browser'` (as a user's bundler would), served on
 * 127.0.0.1 with the wasm binaries under `tfjs-wasm/` (initBackend's default), and driven headless
 * through Playwright with Debian's Chromium (`SELFSUP_CHROMIUM` overrides the path).
 *
 * Flags: --steps N (timed steps, default 3), --batch N (images per step, default 512).
 */
import { join } from 'node:path';
import { initBackend } from '../src/init-backend.js';
import { CHROMIUM, runChromiumPage } from '../src/testing/test-chromium-page.js';
import { stepSeconds } from './step-timing.js';

const args = process.argv.slice(2);
function flag(name: string, fallback: string): string {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
}
const steps = Number(flag('steps', '3'));
const batch = Number(flag('batch', '512'));

interface PageResult {
  info: { name: string; simd: boolean; threads: number; trainingKernels: boolean };
  seconds: number;
  losses: number[];
}

const info = await initBackend({ backend: 'wasm', log: false });
const node = stepSeconds(batch, steps);
const page = await runChromiumPage<PageResult>({
  entry: join(import.meta.dirname, 'browser-step-page.ts'),
  query: { batch, steps },
});
console.log(`reference step, ${batch} images of 28×28×1, median of ${steps} (one run, same machine)`);
console.log(
  `  Node ${process.versions.node}, wasm (simd ${info.simd}, ${info.threads} thread, training kernels ${info.trainingKernels}): ${node.seconds.toFixed(3)} s/step`,
);
console.log(
  `  Chromium (${CHROMIUM}), wasm (simd ${page.info.simd}, ${page.info.threads} thread, training kernels ${page.info.trainingKernels}): ${page.seconds.toFixed(3)} s/step`,
);
console.log(`  browser speed = ${(node.seconds / page.seconds).toFixed(2)}× Node (target ≥ 0.9×)`);
console.log(
  `  first losses: Node ${node.losses[0]?.toFixed(5)}, browser ${page.losses[0]?.toFixed(5)} (the same seeded step on both)`,
);
