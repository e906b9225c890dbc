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
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import { initBackend } from '../src/init-backend.js';
import { stepSeconds } from './step-timing.js';

const args = process.argv.slice(2);
function flag(name: string, fallback: string): string {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
}
const steps = Number(flag('steps', '3'));
const batch = Number(flag('batch', '512'));

async function pageBundle(): Promise<string> {
  const output = await build({
    entryPoints: [join(import.meta.dirname, 'browser-step-page.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['@selfsup/source'],
    logLevel: 'error',
  });
  return output.outputFiles[0]?.text ?? '';
}

/** Serves the page, its bundle and tfjs-backend-wasm's binaries on 127.0.0.1; resolves to the origin. */
async function serve(script: string): Promise<{ origin: string; close: () => void }> {
  const require = createRequire(import.meta.url);
  const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] as string;
    if (path === '/') {
      response.setHeader('Content-Type', 'text/html');
      response.end('<!doctype html><script type="module" src="/bench.js"></script>');
    } else if (path === '/bench.js') {
      response.setHeader('Content-Type', 'text/javascript');
      response.end(script);
    } else if (path.startsWith('/tfjs-wasm/') && path.endsWith('.wasm')) {
      response.setHeader('Content-Type', 'application/wasm');
      response.end(readFileSync(join(wasmDist, path.slice('/tfjs-wasm/'.length).replace(/[/\\]/g, ''))));
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

interface PageResult {
  info?: { name: string; simd: boolean; threads: number; trainingKernels: boolean };
  seconds?: number;
  losses?: number[];
  error?: string;
}

async function browserStep(): Promise<PageResult> {
  const { origin, close } = await serve(await pageBundle());
  const browser = await chromium.launch({
    executablePath: process.env.SELFSUP_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message.slice(0, 300)));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text().slice(0, 300));
    });
    await page.goto(`${origin}/?batch=${batch}&steps=${steps}`);
    await page
      .waitForFunction(() => (globalThis as { selfsupBench?: unknown }).selfsupBench !== undefined, undefined, {
        timeout: 60_000,
      })
      .catch((error: unknown) => {
        throw new Error(`the page did not start the bench: ${problems.join(' | ') || String(error)}`);
      });
    return (await page.evaluate(() => (globalThis as { selfsupBench?: Promise<unknown> }).selfsupBench)) as PageResult;
  } finally {
    await browser.close();
    close();
  }
}

const info = await initBackend({ backend: 'wasm', log: false });
const node = stepSeconds(batch, steps);
const page = await browserStep();
if (page.error !== undefined || page.seconds === undefined) throw new Error(`the page failed: ${page.error}`);
const version = (await import('playwright')).chromium.name();
console.log(`reference step, ${batch} images of 28×28×1, median of ${steps} (one run, same machine)`);
console.log(
  `  Node ${process.versions.node}, wasm (simd ${info.simd}, ${info.threads} thread, training kernels ${info.trainingKernels}): ${node.seconds.toFixed(3)} s/step`,
);
console.log(
  `  ${version} ${process.env.SELFSUP_CHROMIUM ?? '/usr/bin/chromium'}, wasm (simd ${page.info?.simd}, ${page.info?.threads} thread, training kernels ${page.info?.trainingKernels}): ${page.seconds.toFixed(3)} s/step`,
);
console.log(`  browser speed = ${(node.seconds / page.seconds).toFixed(2)}× Node (target ≥ 0.9×)`);
console.log(
  `  first losses: Node ${node.losses[0]?.toFixed(5)}, browser ${page.losses?.[0]?.toFixed(5)} (the same seeded step on both)`,
);
