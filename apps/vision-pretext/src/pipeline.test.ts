import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@selfsup/backend';
import { labeledImageBatches, loadIdxImages, selectImages } from '@selfsup/data';
import { pretrain, taskObjective } from '@selfsup/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_TASKS, parsePipelineOptions } from './pipeline-options.js';
import { runPipeline } from './run-pipeline.js';
import { createTaskSetup } from './task-setup.js';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, 'main.ts');
const testPhotos = join(here, '..', '..', '..', 'packages', 'vision', 'test-data', 'photos');
const cli = (args: string[]) =>
  spawnSync('npx', ['tsx', '--conditions=@selfsup/source', main, ...args], { encoding: 'utf8', timeout: 300_000 });

function options(args: string[]) {
  const parsed = parsePipelineOptions(args);
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('vision pretext app', () => {
  it('every task trains through the trainer (custom heads included), checkpoints, and resumes', async () => {
    const train = await loadIdxImages({ split: 'train' });
    const small = selectImages(
      train,
      Array.from({ length: 64 }, (_, i) => i * 89),
    );
    for (const task of APP_TASKS.filter((t) => t !== 'colorization')) {
      const setup = createTaskSetup(options(['--task', task, '--permutations', '20']), train);
      const objective = taskObjective(setup.task, setup.encoder, { seed: 1 });
      const dir = mkdtempSync(join(tmpdir(), `vision-app-${task}-`));
      const run = await pretrain({
        objective,
        data: labeledImageBatches(small, { batchSize: 32, seed: 0 }),
        epochs: 1,
        optimizer: { kind: 'adam' },
        schedule: { kind: 'constant', learningRate: 1e-3 },
        seed: 0,
        checkpoint: { dir },
      });
      expect(run.steps).toBe(2);
      for (const record of run.history) expect(Number.isFinite(record.loss)).toBe(true);
      expect(Object.keys(objective.modules).sort()).toEqual(['encoder', 'head']);
      const resumed = await pretrain({
        objective,
        data: labeledImageBatches(small, { batchSize: 32, seed: 0 }),
        epochs: 2,
        optimizer: { kind: 'adam' },
        schedule: { kind: 'constant', learningRate: 1e-3 },
        seed: 0,
        checkpoint: { dir },
        resume: true,
      });
      expect(resumed.resumedFromStep).toBe(2);
      expect(resumed.steps).toBe(4);
      const evaluationEncoder = setup.evaluationEncoder();
      expect(evaluationEncoder.inputShape).toEqual([28, 28, 1]);
      objective.dispose();
      setup.dispose();
    }
  });

  it('runs colorization on real photographs: held-out metrics beside the grey floor, a preview PNG, Fashion-MNIST transfer', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vision-app-colour-'));
    const { result, evaluation } = await runPipeline(
      options([
        '--task',
        'colorization',
        '--photos',
        testPhotos,
        '--out',
        out,
        '--max-steps',
        '3',
        '--probe-epochs',
        '1',
        '--quiet',
      ]),
      () => {},
    );
    expect(result).toMatchObject({
      task: 'colorization',
      steps: 3,
      backend: 'wasm',
      trainImages: 6000,
      testImages: 1000,
    });
    expect(result.photos).toEqual({ train: 6, heldOut: 2 });
    expect(evaluation.map((r) => r.features)).toEqual(['pretrained', 'random-init', 'raw-pixels']);
    for (const key of [
      'linearProbeAccuracy',
      'knnAccuracy',
      'randomInitLinearProbeAccuracy',
      'rawPixelsKnnAccuracy',
    ] as const)
      expect(Number.isFinite(result[key])).toBe(true);
    expect(existsSync(join(out, 'encoder', 'model.json'))).toBe(true);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(Object.keys(result.heldOutPretextMetrics).sort()).toEqual(['abBinAccuracy', 'abError']);
    expect(result.greyFloorMetrics?.abError).toBeGreaterThan(0);
    expect(existsSync(result.previewPath as string)).toBe(true);
    expect(
      readFileSync(result.previewPath as string)
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(readFileSync(result.reportPath, 'utf8')).toContain('colorization.png');
  });

  it('the CLI prints the usage and exits 2 on bad flags, naming the flag', () => {
    const badTask = cli(['--task', 'jigsw']);
    expect(badTask.status).toBe(2);
    expect(badTask.stderr).toContain(
      "--task: 'jigsw' is not a task; known: rotation, jigsaw, relative-location, colorization, inpainting, denoising, mae",
    );
    const badRatio = cli(['--task', 'mae', '--mask-ratio', '1']);
    expect(badRatio.status).toBe(2);
    expect(badRatio.stderr).toContain("--mask-ratio: expected a number in [0, 1), got '1'");
    const noPhotos = cli(['--task', 'colorization', '--photos', '/nonexistent/photos', '--quiet']);
    expect(noPhotos.status).toBe(1);
    expect(noPhotos.stderr).toContain('--photos: /nonexistent/photos does not exist');
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: selfsup-vision-pretext');
  });
});
