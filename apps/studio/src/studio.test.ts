// Drives the studio page in Debian's Chromium: the Vite dev server started here, the page driven
// with playwright. With SELFSUP_STUDIO_SCREENSHOTS=<dir> (the `screenshots` script) each step is
// saved there as a PNG.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const screenshots = process.env.SELFSUP_STUDIO_SCREENSHOTS;

let server: ViteDevServer;
let browser: Browser;
let page: Page;
let url: string;

async function shot(name: string): Promise<void> {
  if (screenshots === undefined) return;
  const dir = resolve(appDir, screenshots);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  server = await createServer({
    root: appDir,
    configFile: join(appDir, 'vite.config.ts'),
    server: { port: 0, strictPort: false },
    logLevel: 'warn',
  });
  await server.listen();
  url = server.resolvedUrls?.local[0] as string;
  browser = await chromium.launch({
    executablePath: process.env.SELFSUP_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-swiftshader'],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (error) => console.error('page error:', error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the studio page', () => {
  it('starts the backend asked for, and another when one is picked', async () => {
    await page.goto(`${url}?backend=cpu`);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    await expect.poll(() => page.textContent('#backend-status')).toBe('cpu');
    await page.selectOption('#backend', 'wasm');
    await page.waitForSelector('#backend-status[data-backend="wasm"]');
    expect(await page.textContent('#backend-status')).toMatch(/^wasm · 1 thread/);
    await shot('0-backend');
  });
});
