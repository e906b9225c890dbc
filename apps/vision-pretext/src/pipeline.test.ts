import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@selfsup/backend';
import { type LabeledImages, labeledImageBatches, loadIdxImages, selectImages } from '@selfsup/data';
import { pretrain, taskObjective } from '@selfsup/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoDecodeSize } from './photo-patches.js';
import { APP_TASKS, parsePipelineOptions } from './pipeline-options.js';
import { runPipeline } from './run-pipeline.js';
import { createTaskSetup, tileGeometry } from './task-setup.js';

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

/** Writes `set` as an MNIST-layout IDX pair (`{prefix}-images-idx3-ubyte`, `{prefix}-labels-idx1-ubyte`) in `dir`. */
function writeIdxPair(dir: string, prefix: 'train' | 't10k', set: LabeledImages): void {
  const idx = (dims: number[], data: Uint8Array) => {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header.set([0, 0, 0x08, dims.length]);
    dims.forEach((d, i) => {
      header.writeUInt32BE(d, 4 + 4 * i);
    });
    return Buffer.concat([header, data]);
  };
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), idx([set.count, set.height, set.width], set.images));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), idx([set.count], set.labels));
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

  it('runs jigsaw and relative location on real photographs: an RGB encoder, held-out accuracy beside chance in colour and grayscale, transfer to Fashion-MNIST as RGB', async () => {
    // A 1 200 / 400 slice of the embedded subset keeps the Fashion-MNIST evaluation quick.
    const [train, test] = await Promise.all([loadIdxImages({ split: 'train' }), loadIdxImages({ split: 'test' })]);
    const data = mkdtempSync(join(tmpdir(), 'vision-app-fmnist-slice-'));
    writeIdxPair(
      data,
      'train',
      selectImages(
        train,
        Array.from({ length: 1200 }, (_, i) => i),
      ),
    );
    writeIdxPair(
      data,
      't10k',
      selectImages(
        test,
        Array.from({ length: 400 }, (_, i) => i),
      ),
    );
    // Jigsaw on the default 28-px photo patches, relative location on 56-px ones (14-px patches).
    const runs = [
      // Jigsaw also fine-tunes (1 epoch on 96 labels) beside its random-init twin.
      {
        task: 'jigsaw',
        metric: 'jigsawAccuracy',
        chance: 1 / 10,
        defence: 'grayscale-and-jitter',
        patch: 28,
        fineTune: ['--fine-tune-epochs', '1', '--fine-tune-labels', '96'],
      },
      {
        task: 'relative-location',
        metric: 'relativeLocationAccuracy',
        chance: 1 / 8,
        defence: 'projection',
        patch: 56,
      },
    ];
    for (const { task, metric, chance, defence, patch, fineTune } of runs) {
      const out = mkdtempSync(join(tmpdir(), `vision-app-photo-${task}-`));
      const lines: string[] = [];
      const { result, evaluation } = await runPipeline(
        options([
          '--task',
          task,
          '--pretrain-data',
          'photos',
          '--photos',
          testPhotos,
          '--data',
          data,
          '--permutations',
          '10',
          '--photo-patch-size',
          String(patch),
          ...(fineTune ?? []),
          '--batch-size',
          '32',
          '--out',
          out,
          '--max-steps',
          '3',
          '--probe-epochs',
          '1',
          '--quiet',
        ]),
        (line) => lines.push(line),
      );
      expect(result).toMatchObject({
        task,
        pretrainData: 'photos',
        chromaticDefence: defence,
        photoPatchSize: patch,
        steps: 3,
        trainImages: 1200,
        testImages: 400,
        photos: { train: 6, heldOut: 2 },
      });
      const losses = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { loss: number }).loss);
      expect(losses).toHaveLength(3);
      for (const loss of losses) expect(Number.isFinite(loss)).toBe(true);
      expect(result.pretextChance).toBeCloseTo(chance, 10);
      for (const metrics of [
        result.heldOutPretextMetrics,
        result.heldOutColourMetrics,
        result.heldOutGrayscaleMetrics,
      ]) {
        expect(Object.keys(metrics ?? {})).toEqual([metric]);
        const accuracy = metrics?.[metric] as number;
        expect(accuracy).toBeGreaterThanOrEqual(0);
        expect(accuracy).toBeLessThanOrEqual(1);
      }
      // The encoder is RGB: it is evaluated on grey replicated to three channels.
      expect(evaluation.map((r) => [r.features, r.dimension])).toEqual([
        ['pretrained', 128],
        ['random-init', 128],
        ['raw-pixels', 28 * 28 * 3],
      ]);
      for (const row of evaluation) expect(row.knnAccuracy).toBeGreaterThan(0.1);
      expect(lines.some((line) => line.startsWith('held-out photos (1024 patches of 2 photos)'))).toBe(true);
      const report = readFileSync(result.reportPath, 'utf8');
      expect(report).toContain(`held-out ${metric}, grayscale`);
      expect(report).toContain('grey replicated to RGB');
      expect(report).toContain(`${patch}×${patch} patches`);
      if (fineTune === undefined) expect(result.fineTune).toBeUndefined();
      else {
        expect(result.fineTune).toMatchObject({ labels: 96, epochs: 1 });
        for (const score of [result.fineTune?.pretrained, result.fineTune?.randomInit]) {
          expect(score?.testAccuracy).toBeGreaterThanOrEqual(0);
          expect(score?.testAccuracy).toBeLessThanOrEqual(1);
        }
        expect(lines.some((line) => line.startsWith('fine-tuned random-init on 96 labels: test accuracy'))).toBe(true);
        expect(report).toContain('fine-tuned test accuracy, random-init twin (96 labels, 1 epochs, encoder lr 0.0001)');
      }
      expect(existsSync(join(out, 'encoder', 'model.json'))).toBe(true);
    }
  });

  it('refuses --resume when the run directory holds no checkpoint, instead of starting anew', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vision-app-empty-'));
    await expect(
      runPipeline(options(['--task', 'rotation', '--out', out, '--resume', '--quiet']), () => {}),
    ).rejects.toThrow(`--resume: ${join(out, 'checkpoints')} holds no complete checkpoint to resume from`);
  });

  it('photo pretraining flags: defaults per task, the ablation, and errors that name the flag', () => {
    expect(options(['--task', 'colorization'])).toMatchObject({ pretrainData: 'photos', chromaticDefence: undefined });
    expect(options(['--task', 'jigsaw'])).toMatchObject({ pretrainData: 'fashion-mnist', chromaticDefence: undefined });
    expect(options(['--task', 'jigsaw', '--pretrain-data', 'photos'])).toMatchObject({
      chromaticDefence: 'grayscale-and-jitter',
    });
    expect(
      options(['--task', 'relative-location', '--pretrain-data', 'photos', '--chromatic-defence', 'none']),
    ).toMatchObject({ chromaticDefence: 'none' });
    expect(options(['--task', 'relative-location', '--pretrain-data', 'photos'])).toMatchObject({
      chromaticDefence: 'projection',
    });
    expect(() => options(['--task', 'rotation', '--pretrain-data', 'photos'])).toThrow(
      '--pretrain-data photos: rotation pretrains on Fashion-MNIST only; photos work for jigsaw, relative-location, colorization',
    );
    expect(() => options(['--task', 'colorization', '--pretrain-data', 'fashion-mnist'])).toThrow(
      '--pretrain-data fashion-mnist: colorization needs colour images',
    );
    expect(() => options(['--task', 'jigsaw', '--pretrain-data', 'pictures'])).toThrow(
      "--pretrain-data: 'pictures' is not known; known: fashion-mnist, photos",
    );
    expect(() => options(['--task', 'jigsaw', '--photos', testPhotos])).toThrow(
      '--photos: jigsaw pretrains on Fashion-MNIST; add --pretrain-data photos',
    );
    expect(() => options(['--task', 'jigsaw', '--chromatic-defence', 'none'])).toThrow(
      '--chromatic-defence: applies to jigsaw and relative-location pretrained on photos',
    );
    expect(() =>
      options(['--task', 'jigsaw', '--pretrain-data', 'photos', '--chromatic-defence', 'channel-dropping']),
    ).toThrow("--chromatic-defence: 'channel-dropping' is not a jigsaw defence; known: grayscale-and-jitter, none");
    expect(options(['--task', 'jigsaw', '--pretrain-data', 'photos'])).toMatchObject({ photoPatchSize: 28 });
    expect(
      options(['--task', 'relative-location', '--pretrain-data', 'photos', '--photo-patch-size', '64']),
    ).toMatchObject({ photoPatchSize: 64 });
    expect(options(['--task', 'jigsaw'])).toMatchObject({ photoPatchSize: undefined });
    expect(options(['--task', 'colorization'])).toMatchObject({ photoPatchSize: undefined });
    expect(() => options(['--task', 'jigsaw', '--photo-patch-size', '64'])).toThrow(
      '--photo-patch-size: applies to jigsaw and relative-location pretrained on photos (--pretrain-data photos); this run is jigsaw on fashion-mnist',
    );
    expect(() => options(['--task', 'colorization', '--photo-patch-size', '64'])).toThrow(
      '--photo-patch-size: applies to jigsaw and relative-location pretrained on photos',
    );
    expect(() => options(['--task', 'jigsaw', '--pretrain-data', 'photos', '--photo-patch-size', '20'])).toThrow(
      '--photo-patch-size: expected at least 28 (3 tiles and their gaps), got 20',
    );
    expect(options(['--task', 'mae'])).toMatchObject({ fineTuneEpochs: 0, fineTuneLearningRate: 1e-4 });
    expect(
      options(['--task', 'mae', '--fine-tune-epochs', '2', '--fine-tune-labels', '600', '--fine-tune-lr', '3e-4']),
    ).toMatchObject({ fineTuneEpochs: 2, fineTuneLabels: 600, fineTuneLearningRate: 3e-4 });
    expect(() => options(['--task', 'mae', '--fine-tune-labels', '600'])).toThrow(
      '--fine-tune-labels, --fine-tune-lr: apply to fine-tuning; add --fine-tune-epochs <n>',
    );
    expect(() => options(['--task', 'mae', '--fine-tune-epochs', '1.5'])).toThrow(
      "--fine-tune-epochs: expected a positive integer, got '1.5'",
    );
    expect(() => options(['--task', 'jigsaw', '--pretrain-data', 'photos', '--photo-patch-size', '6.5'])).toThrow(
      "--photo-patch-size: expected a positive integer, got '6.5'",
    );
  });

  it('tile geometry: the Fashion-MNIST tiles at 28 px, the same proportions on larger photo patches, and every size fits', () => {
    expect(tileGeometry(28)).toEqual({
      jigsaw: { cellSize: 9, tileSize: 7 },
      relativeLocation: { patchSize: 7, gap: 2, jitter: 1 },
    });
    expect(tileGeometry(64)).toEqual({
      jigsaw: { cellSize: 21, tileSize: 16 },
      relativeLocation: { patchSize: 16, gap: 4, jitter: 2 },
    });
    // Photos are decoded at a size that scales with the patch: a patch covers the same share of a photo.
    expect(photoDecodeSize(28)).toEqual([240, 320]);
    expect(photoDecodeSize(64)).toEqual([549, 731]);
    for (let size = 28; size <= 256; size++) {
      const { jigsaw, relativeLocation } = tileGeometry(size);
      expect(3 * jigsaw.cellSize).toBeLessThanOrEqual(size);
      expect(jigsaw.tileSize).toBeLessThan(jigsaw.cellSize);
      const { patchSize, gap, jitter } = relativeLocation;
      expect(3 * patchSize + 2 * gap + 2 * jitter).toBeLessThanOrEqual(size);
      expect(gap).toBeGreaterThan(jitter);
    }
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
