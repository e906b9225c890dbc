import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureApp } from '@selfsup/cli';
import { describe, expect, it } from 'vitest';
import { SIMCLR_APP } from './simclr-app.js';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const cli = (args: string[]) =>
  spawnSync('npx', ['tsx', '--conditions=@selfsup/source', main, ...args], { encoding: 'utf8', timeout: 300_000 });

/** Runs the app in this process: exit code, stdout and stderr as text, the result line parsed. */
const runSimclr = (args: string[]) => captureApp(SIMCLR_APP, args);

describe('the main job (selfsup-simclr)', () => {
  it('pretrains, evaluates beside its floors, writes the report, ends with the JSON line, and resumes', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'simclr-app-')), 'run');
    const flags = ['--out', out, '--batch-size', '128', '--probe-epochs', '2', '--quiet'];
    const first = await runSimclr([...flags, '--max-steps', '4']);
    expect(first.code, first.stderr).toBe(0);
    const { result } = first;
    expect(result).toMatchObject({
      objective: { kind: 'method', id: 'simclr' },
      steps: 4,
      backend: 'wasm',
      exampleCount: 6000,
    });
    for (const key of [
      'linearProbeAccuracy',
      'knnAccuracy',
      'randomInitLinearProbeAccuracy',
      'rawPixelsLinearProbeAccuracy',
      'examplesPerSecond',
      'wallSeconds',
    ] as const) {
      expect(Number.isFinite(result[key])).toBe(true);
    }
    expect(result.evaluation.map((r) => r.features)).toEqual(['pretrained', 'random-init', 'raw-pixels']);
    expect(first.stdout).toMatch(/^pretrained +\d+ +\d+ +\d+\.\d\d % \[\d+\.\d–\d+\.\d\]/m);
    expect(first.stdout).toContain(`report: ${join(out, 'report.html')}`);
    const html = readFileSync(result.reportPath as string, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('raw-pixels');
    expect(html).toContain('augmentations.png');
    for (const file of ['augmentations.png', 'metrics.jsonl', 'config.json', 'run.json', join('encoder', 'model.json')])
      expect(existsSync(join(out, file))).toBe(true);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4);

    // Another setting is refused on resume; the same settings continue.
    const otherLr = await runSimclr([...flags, '--max-steps', '6', '--resume', '--lr', '0.01']);
    expect(otherLr.code).toBe(6);
    expect(otherLr.stderr).toContain('lr (0.002 in the run, 0.01 given)');
    const again = await runSimclr([...flags, '--max-steps', '6', '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.result).toMatchObject({ steps: 6, resumedFromStep: 4 });
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('refuses --resume when the run directory holds no run, and a new run in a folder of other files', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'simclr-app-empty-')), 'run');
    const resume = await runSimclr(['--out', out, '--resume', '--quiet']);
    expect(resume.code).toBe(6);
    expect(resume.stderr).toContain(`selfsup-simclr: ${out} does not exist, so there is nothing to resume`);
    expect(existsSync(out)).toBe(false);
    const folder = dirname(fileURLToPath(import.meta.url));
    const occupied = await runSimclr(['--out', folder, '--quiet']);
    expect(occupied.code).toBe(6);
    expect(occupied.stderr).toContain('is not empty and holds no selfsup run');
  });

  it('the command prints the usage and exits 2 on bad flags, naming the flag; 1 when the data is missing', () => {
    const badMethod = cli(['--method', 'simclrr']);
    expect(badMethod.status).toBe(2);
    expect(badMethod.stderr).toContain(
      "--method: expected simclr | moco-v2 | byol | simsiam | barlow-twins | vicreg, got 'simclrr' (did you mean 'simclr'?)",
    );
    const badEpochs = cli(['--epochs', '0']);
    expect(badEpochs.status).toBe(2);
    expect(badEpochs.stderr).toContain("--epochs: expected an integer ≥ 1, got '0'");
    const missing = cli([
      '--data',
      '/nonexistent/fashion',
      '--quiet',
      '--out',
      join(mkdtempSync(join(tmpdir(), 'simclr-missing-')), 'run'),
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/fashion: no train-images-idx3-ubyte[.gz]');
    const help = cli(['--', '--help']); // as `pnpm start -- --help` passes it
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: selfsup-simclr');
    expect(help.stdout).toMatch(
      /--schedule <value> +after warmup: .* \(warmup-cosine \| constant\) \[default warmup-cosine\]/,
    );
  });
});
