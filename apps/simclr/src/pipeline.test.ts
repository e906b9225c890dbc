import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePipelineOptions } from './pipeline-options.js';
import { runPipeline } from './run-pipeline.js';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const cli = (args: string[]) =>
  spawnSync('npx', ['tsx', '--conditions=@selfsup/source', main, ...args], { encoding: 'utf8', timeout: 300_000 });

describe('reference pipeline', () => {
  it('pretrains, evaluates beside its floors, writes the report and resumes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'simclr-app-'));
    const options = parsePipelineOptions([
      '--out',
      out,
      '--max-steps',
      '4',
      '--batch-size',
      '128',
      '--probe-epochs',
      '2',
      '--quiet',
    ]);
    if (options === 'help') throw new Error('unexpected help');
    const lines: string[] = [];
    const { result, evaluation } = await runPipeline(options, (line) => lines.push(line));
    expect(result).toMatchObject({ method: 'simclr', steps: 4, backend: 'wasm', trainImages: 6000, testImages: 1000 });
    for (const key of [
      'linearProbeAccuracy',
      'knnAccuracy',
      'randomInitLinearProbeAccuracy',
      'rawPixelsLinearProbeAccuracy',
      'imagesPerSecond',
      'wallSeconds',
    ]) {
      expect(Number.isFinite(result[key as keyof typeof result])).toBe(true);
    }
    expect(evaluation.map((r) => r.features)).toEqual(['pretrained', 'random-init', 'raw-pixels']);
    const html = readFileSync(result.reportPath, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('raw-pixels');
    expect(html).toContain('augmentations.png');
    for (const file of ['augmentations.png', 'metrics.jsonl', join('encoder', 'model.json')])
      expect(existsSync(join(out, file))).toBe(true);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4);

    const resumed = parsePipelineOptions([
      '--out',
      out,
      '--max-steps',
      '6',
      '--batch-size',
      '128',
      '--probe-epochs',
      '1',
      '--quiet',
      '--resume',
    ]);
    if (resumed === 'help') throw new Error('unexpected help');
    const again = await runPipeline(resumed, (line) => lines.push(line));
    expect(again.result.steps).toBe(6);
    expect(lines.some((l) => /resumed from step 4/.test(l))).toBe(true);
  });

  it('refuses --resume when the run directory holds no checkpoint, instead of starting anew', async () => {
    const out = mkdtempSync(join(tmpdir(), 'simclr-app-empty-'));
    const options = parsePipelineOptions(['--out', out, '--resume', '--quiet']);
    if (options === 'help') throw new Error('unexpected help');
    await expect(runPipeline(options, () => {})).rejects.toThrow(
      `--resume: ${join(out, 'checkpoints')} holds no complete checkpoint to resume from`,
    );
    expect(existsSync(join(out, 'checkpoints'))).toBe(false);
  });

  it('the CLI prints the usage and exits 2 on bad flags, naming the flag', () => {
    const badMethod = cli(['--method', 'simclrr']);
    expect(badMethod.status).toBe(2);
    expect(badMethod.stderr).toContain(
      "--method: 'simclrr' is not a method; known: simclr, moco-v2, byol, simsiam, barlow-twins, vicreg",
    );
    const badEpochs = cli(['--epochs', '0']);
    expect(badEpochs.status).toBe(2);
    expect(badEpochs.stderr).toContain("--epochs: expected a positive integer, got '0'");
    const missing = cli(['--data', '/nonexistent/fashion', '--quiet']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/fashion: no train-images-idx3-ubyte[.gz]');
    const help = cli(['--', '--help']); // as `pnpm start -- --help` passes it
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: selfsup-simclr');
    expect(help.stdout).toContain('--schedule <kind>     warmup-cosine | constant');
  });

  it('parses the recipe flags and names the flag of a bad value', () => {
    const options = parsePipelineOptions(['--weight-init', 'fan-in-uniform', '--schedule', 'constant']);
    expect(options).toMatchObject({ weightInit: 'fan-in-uniform', schedule: 'constant' });
    expect(() => parsePipelineOptions(['--weight-init', 'xavier'])).toThrow(
      "--weight-init: 'xavier' is not an initialization; known: he-normal, fan-in-uniform",
    );
  });
});
