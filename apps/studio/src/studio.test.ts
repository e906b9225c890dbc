// Drives the studio page in Debian's Chromium: the Vite dev server started here, the page driven
// with playwright. With SELFSUP_STUDIO_SCREENSHOTS=<dir> (the `screenshots` script) each step is
// saved there as a PNG.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@selfsup/backend';
import { embeddedFashionMnistDir } from '@selfsup/data';
import { loadEncoder } from '@selfsup/models';
import { type Browser, chromium, type Download, type Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const augmentTestData = resolve(appDir, '../../packages/augment/test-data');
const screenshots = process.env.SELFSUP_STUDIO_SCREENSHOTS;

/** A folder of real images in two class sub-folders, with an empty and a truncated file among them. */
function photoFolder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'studio-photos-')), 'photos');
  const classes: Record<string, string[]> = {
    gradients: ['images/gradient.png', 'images/gradient.jpg', 'images/gradient.webp', 'images/gradient.gif'],
    others: ['images/nested/alpha.png', 'images/nested/gray.png', 'special/rotated.jpg', 'bad/truncated.jpg'],
  };
  for (const [name, files] of Object.entries(classes)) {
    mkdirSync(join(root, name), { recursive: true });
    for (const file of files) {
      copyFileSync(join(augmentTestData, file), join(root, name, file.split('/').at(-1) as string));
    }
  }
  writeFileSync(join(root, 'others', 'empty.png'), '');
  return root;
}

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
    // No file watching: other edits in the checkout must not reload the page mid-test.
    server: { port: 0, strictPort: false, watch: null, hmr: false },
    logLevel: process.env.SELFSUP_STUDIO_LOG === '1' ? 'info' : 'warn',
  });
  await server.listen();
  url = server.resolvedUrls?.local[0] as string;
  browser = await chromium.launch({
    executablePath: process.env.SELFSUP_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-swiftshader'],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') console.error('page console:', message.text());
  });
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
    expect(new URL(page.url()).searchParams.get('backend')).toBe('wasm');
    await shot('0-backend');
  });

  it('reads a dropped folder of real images, saying which files it skipped and why', async () => {
    await page.setInputFiles('#folder', photoFolder());
    await page.waitForSelector('#data-summary[data-read]');
    expect(await page.getAttribute('#data-summary', 'data-read')).toBe('7');
    expect(await page.textContent('#data-summary')).toContain('Read 7 images (2 classes); skipped 2');
    const skipped = await page.locator('#skipped li').allTextContents();
    expect(skipped.map((line) => line.split(':')[0])).toEqual([
      'photos/others/empty.png',
      'photos/others/truncated.jpg',
    ]);
    await page.click('#skipped summary');
    await shot('1-folder');
  });

  it('reads a folder without class sub-folders as images without labels', async () => {
    const flat = join(mkdtempSync(join(tmpdir(), 'studio-flat-')), 'flat');
    mkdirSync(flat);
    for (const file of ['images/gradient.png', 'images/gradient.jpg', 'special/rotated.jpg', 'bad/not-an-image.png']) {
      copyFileSync(join(augmentTestData, file), join(flat, file.split('/').at(-1) as string));
    }
    await page.setInputFiles('#folder', flat);
    await page.waitForSelector('#data-summary[data-read="3"]');
    expect(await page.textContent('#data-summary')).toContain('Read 3 images (no labels); skipped 1');
    expect(await page.locator('#skipped li').allTextContents()).toEqual([
      expect.stringMatching(/^flat\/not-an-image\.png: /),
    ]);
  });

  it('reads the embedded Fashion-MNIST subset', async () => {
    await page.click('#embedded');
    await page.waitForSelector('#data-summary[data-read="7000"]', { timeout: 60_000 });
    expect(await page.textContent('#data-summary')).toContain('Read 7000 images (10 classes); skipped 0');
    await shot('1-data');
  });

  it('shows the augmentation grid of a preset, re-rolled with a seed', async () => {
    await page.waitForSelector('#augment-grid[data-preset="fashion-mnist-simclr"][data-seed="0"]');
    const first = await page.getAttribute('#augment-grid', 'src');
    await page.click('#reroll');
    await page.waitForSelector('#augment-grid[data-seed="1"]');
    expect(await page.getAttribute('#augment-grid', 'src')).not.toBe(first);
    const size = await page.$eval('#augment-grid', (img) => [
      (img as HTMLImageElement).naturalWidth,
      (img as HTMLImageElement).naturalHeight,
    ]);
    expect(size).toEqual([7 * 114 + 2, 8 * 114 + 2]); // the original and 6 views of 8 images, 112 px cells
    await shot('2-augmentations');
  });

  it('pretrains SimCLR on wasm with a live loss chart, stops, resumes after a reload, and shows neighbours', async () => {
    await page.selectOption('#method', 'simclr');
    await page.fill('#epochs', '1');
    await page.fill('#batch-size', '32');
    await page.fill('#max-steps', '40');
    await page.uncheck('#evaluate-after'); // evaluated below, with the button
    await page.click('#start');
    await page.waitForFunction(() => Number(document.getElementById('stat-step')?.dataset.step) >= 2);
    // The chart is live: drawn while training runs, not only at its end.
    await page.waitForFunction(() => Number(document.getElementById('loss-chart')?.dataset.points) >= 2);
    expect(await page.locator('#loss-chart svg path').count()).toBeGreaterThan(0);
    await page.click('#stop');
    await page.waitForSelector('body[data-training="done"]');
    const stoppedAt = Number(await page.getAttribute('#stat-step', 'data-step'));
    expect(stoppedAt).toBeGreaterThanOrEqual(2);
    expect(stoppedAt).toBeLessThan(40);
    expect(await page.textContent('#stat-backend')).toBe('wasm');
    expect(await page.textContent('#train-log')).toContain(`stopped at step ${stoppedAt}`);
    // The stopped run is listed among the page's stored runs, at the step a resume continues from.
    const stopped = page.locator('#runs-body tr');
    expect(await stopped.count()).toBe(1);
    expect(await stopped.getAttribute('data-state')).toBe('training');
    expect(await stopped.getAttribute('data-step')).toBe(String(stoppedAt));
    await shot('3-pretrain-stopped');

    await page.reload();
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    expect(await page.getAttribute('#loss-chart', 'data-points')).toBe(String(stoppedAt));
    expect(await page.textContent('#train-log')).toContain('pick the same data, then Resume');
    await page.click('#embedded');
    await page.waitForSelector('#data-summary[data-read="7000"]');
    await page.fill('#max-steps', String(stoppedAt + 3));
    await page.click('#resume');
    await page.waitForSelector('body[data-training="done"]', { timeout: 60_000 });
    expect(await page.textContent('#train-log')).toContain(`finished: ${stoppedAt + 3} steps`);
    expect(await page.getAttribute('#loss-chart', 'data-points')).toBe(String(stoppedAt + 3));
    expect(await page.getAttribute('#runs-body tr', 'data-state')).toBe('finished');
    expect(await page.getAttribute('#runs-body tr', 'data-step')).toBe(String(stoppedAt + 3));
    await shot('3-pretrain');

    await page.waitForSelector('#gallery canvas');
    await page.click('#gallery canvas >> nth=0');
    await page.waitForSelector('#neighbours .row[data-kind="pixels"]');
    expect(await page.locator('#neighbours .row[data-kind="learned"] canvas').count()).toBe(8);
    expect(await page.locator('#neighbours .row[data-kind="pixels"] canvas').count()).toBe(8);
  });

  it('evaluates the encoder beside the floors, with the trainer evaluation', async () => {
    await page.fill('#probe-epochs', '1');
    await page.click('#evaluate');
    await page.waitForSelector('#evaluation tbody tr', { timeout: 90_000 });
    const rows = await page
      .locator('#evaluation tbody tr')
      .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.features));
    expect(rows).toEqual(['pretrained', 'random-init', 'raw-pixels']);
    // Each accuracy with its 95 % interval, and the number of test images (the embedded test split).
    const cells = await page.locator('#evaluation tbody tr >> nth=0').locator('td').allTextContents();
    expect(cells[1]).toMatch(/^\d+\.\d % \[\d+\.\d–\d+\.\d\]$/);
    expect(cells[2]).toMatch(/^\d+\.\d % \[\d+\.\d–\d+\.\d\] \(k=\d+\)$/);
    expect(cells[3]).toBe('1000');
    await shot('4-explore');
  });

  it('exports the encoder, which @selfsup/models loads in Node and selfsup eval evaluates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-encoder-'));
    const downloads: Download[] = [];
    const both = new Promise<void>((resolve) =>
      page.on('download', (download) => {
        downloads.push(download);
        if (downloads.length === 2) resolve();
      }),
    );
    await page.click('#export');
    await both;
    for (const download of downloads) await download.saveAs(join(dir, download.suggestedFilename()));
    expect(downloads.map((d) => d.suggestedFilename()).sort()).toEqual(['model.json', 'model.weights.bin']);
    await shot('5-export');

    await initBackend({ backend: 'cpu', log: false });
    const encoder = await loadEncoder(dir);
    expect(encoder.inputShape).toEqual([28, 28, 1]);
    expect(encoder.featureSize).toBe(64);
    encoder.dispose();

    const evaluation = spawnSync(
      join(appDir, '../../node_modules/.bin/selfsup'),
      [
        'eval',
        '--checkpoint',
        dir,
        '--labels',
        embeddedFashionMnistDir(),
        '--probe-epochs',
        '1',
        '--no-floors',
        '--json',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(evaluation.status, evaluation.stderr).toBe(0);
    const report = JSON.parse(evaluation.stdout) as { encoder: string; evaluation: Array<{ features: string }> };
    expect(report.evaluation.map((row) => row.features)).toEqual(['pretrained']);
  });

  it('lists the runs stored in the page: a stopped one resumes from its row, and each can be deleted', async () => {
    const running = () =>
      page.evaluate(() => {
        document.body.dataset.training = 'running';
      });
    await page.fill('#max-steps', '40');
    await running();
    await page.click('#start');
    // The chart starts empty for a new run and grows with its steps.
    await page.waitForFunction(() => Number(document.getElementById('loss-chart')?.dataset.points) >= 1);
    await page.click('#stop');
    await page.waitForSelector('body[data-training="done"]');
    const stoppedAt = Number(await page.getAttribute('#stat-step', 'data-step'));
    await page.waitForSelector('#runs-body[data-count="2"]');
    // Newest first: the stopped run, then the finished one (which cannot be resumed).
    const rows = page.locator('#runs-body tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.state))).toEqual([
      'training',
      'finished',
    ]);
    expect(await rows.nth(0).getAttribute('data-step')).toBe(String(stoppedAt));
    expect(await rows.nth(1).locator('.resume-run').isDisabled()).toBe(true);
    const stoppedDir = (await rows.nth(0).getAttribute('data-dir')) as string;

    await page.fill('#max-steps', String(stoppedAt + 2));
    await running();
    await rows.nth(0).locator('.resume-run').click();
    await page.waitForSelector('body[data-training="done"]', { timeout: 60_000 });
    expect(await page.textContent('#train-log')).toContain(`finished: ${stoppedAt + 2} steps`);
    expect(await page.getAttribute(`#runs-body tr[data-dir="${stoppedDir}"]`, 'data-state')).toBe('finished');
    await shot('3-stored-runs');

    await page.locator(`#runs-body tr[data-dir="${stoppedDir}"] .delete-run`).click();
    await page.waitForSelector('#runs-body[data-count="1"]');
    expect(await page.textContent('#train-log')).toContain(`deleted ${stoppedDir}`);
    await page.locator('#runs-body tr .delete-run').click();
    await page.waitForSelector('#runs-body[data-count="0"]', { state: 'attached' });
    // Gone from IndexedDB, not only from the table: a reload lists nothing and has no last run.
    await page.reload();
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    await page.waitForSelector('#runs-body[data-count="0"]', { state: 'attached' });
    expect(await page.isDisabled('#resume')).toBe(true);
  });
});
