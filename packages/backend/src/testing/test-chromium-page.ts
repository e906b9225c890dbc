// Test and bench support (not shipped: the build leaves out test-*.ts): bundles a page script with
// esbuild for `platform: 'browser'` (as a user's bundler would), serves it on 127.0.0.1 with
// tfjs-backend-wasm's binaries under `tfjs-wasm/` (initBackend's default) — optionally cross-origin
// isolated, which wasm threads need — and runs it in Debian's Chromium through Playwright. The
// script publishes its result as a promise in `globalThis.selfsupPage`.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright';

/** Where the system Chromium is (`SELFSUP_CHROMIUM` overrides). */
export const CHROMIUM = process.env.SELFSUP_CHROMIUM ?? '/usr/bin/chromium';

export interface ChromiumPageOptions {
  /** The page's script (TypeScript), bundled from source with the `@selfsup/source` condition. */
  entry: string;
  /** Query parameters the script reads from `location.search`. */
  query?: Record<string, string | number>;
  /** Serve with COOP/COEP so the page is cross-origin isolated (wasm threads). */
  crossOriginIsolated?: boolean;
  /** How long the script may take, in ms (default 10 minutes). */
  timeoutMs?: number;
}

async function bundle(entry: string): Promise<string> {
  const output = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['@selfsup/source'],
    logLevel: 'error',
  });
  return output.outputFiles[0]?.text ?? '';
}

/** Runs the page and returns what its `globalThis.selfsupPage` promise resolved to. */
export async function runChromiumPage<T>(options: ChromiumPageOptions): Promise<T> {
  const script = await bundle(options.entry);
  const require = createRequire(import.meta.url);
  const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const server = createServer((request, response) => {
    if (options.crossOriginIsolated === true) {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    const path = (request.url ?? '/').split('?')[0] as string;
    if (path === '/') {
      response.setHeader('Content-Type', 'text/html');
      response.end('<!doctype html><script type="module" src="/page.js"></script>');
    } else if (path === '/page.js') {
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
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message.slice(0, 300)));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text().slice(0, 300));
    });
    const query = new URLSearchParams(Object.entries(options.query ?? {}).map(([k, v]) => [k, String(v)]));
    await page.goto(`${origin}/?${query}`);
    const timeout = options.timeoutMs ?? 600_000;
    await page
      .waitForFunction(() => (globalThis as { selfsupPage?: unknown }).selfsupPage !== undefined, undefined, {
        timeout,
      })
      .catch((error: unknown) => {
        throw new Error(`the page did not start: ${problems.join(' | ') || String(error)}`);
      });
    const result = (await page.evaluate(() => (globalThis as { selfsupPage?: Promise<unknown> }).selfsupPage)) as
      | (T & { error?: undefined })
      | { error: string };
    if (typeof result === 'object' && result !== null && typeof result.error === 'string') {
      throw new Error(`the page failed: ${result.error}${problems.length > 0 ? ` (${problems.join(' | ')})` : ''}`);
    }
    return result as T;
  } finally {
    await browser.close();
    server.close();
  }
}
