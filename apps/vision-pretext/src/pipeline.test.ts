import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureApp } from '@selfsup/cli';
import { type LabeledImages, loadIdxImages, selectImages } from '@selfsup/data';
import type { ExperimentResult } from '@selfsup/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { VISION_PRETEXT_APP } from './vision-pretext-app.js';

const here = dirname(fileURLToPath(import.meta.url));
const testPhotos = join(here, '..', '..', '..', 'packages', 'vision', 'test-data', 'photos');
const fresh = (name: string) => join(mkdtempSync(join(tmpdir(), `vision-app-${name}-`)), 'run');

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

/** A 256 / 100 slice of the embedded Fashion-MNIST subset keeps every evaluation quick. */
let data: string;
beforeAll(async () => {
  const [train, test] = await Promise.all([loadIdxImages({ split: 'train' }), loadIdxImages({ split: 'test' })]);
  data = mkdtempSync(join(tmpdir(), 'vision-app-fmnist-slice-'));
  writeIdxPair(
    data,
    'train',
    selectImages(
      train,
      [...Array(256).keys()].map((i) => i * 23),
    ),
  );
  writeIdxPair(
    data,
    't10k',
    selectImages(
      test,
      [...Array(100).keys()].map((i) => i * 10),
    ),
  );
});

/** Runs the app in this process: exit code, stdout and stderr as text, the result line parsed. */
const runVision = (args: string[]) => captureApp(VISION_PRETEXT_APP, args);

const quick = () => ['--data', data, '--batch-size', '32', '--probe-epochs', '1', '--quiet'];
const metricLines = (out: string) => readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
const features = (result: ExperimentResult) => result.evaluation.map((row) => [row.features, row.dimension]);

describe('the vision pretext app (selfsup-vision-pretext)', () => {
  it('pretrains rotation, measures it on held-out images beside chance, evaluates beside the floors, and resumes the same run', async () => {
    const out = fresh('rotation');
    const first = await runVision(['--task', 'rotation', ...quick(), '--out', out, '--max-steps', '2']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.result).toMatchObject({ objective: { kind: 'task', id: 'rotation' }, steps: 2, exampleCount: 256 });
    expect(features(first.result)).toEqual([
      ['pretrained', 128],
      ['random-init', 128],
      ['raw-pixels', 784],
    ]);
    const { measures } = first.result;
    expect(Object.keys(measures)).toEqual(['heldOut.rotationAccuracy', 'pretextChance']);
    expect(measures.pretextChance).toBe(0.25);
    expect(measures['heldOut.rotationAccuracy']).toBeGreaterThanOrEqual(0);
    expect(first.stdout).toContain('rotation: heldOut.rotationAccuracy ');
    expect(metricLines(out)).toHaveLength(2);
    expect(existsSync(join(out, 'encoder', 'model.json'))).toBe(true);

    const otherSetting = await runVision(['--task', 'rotation', ...quick(), '--out', out, '--resume', '--seed', '3']);
    expect(otherSetting.code).toBe(6);
    expect(otherSetting.stderr).toContain('seed (0 in the run, 3 given)');
    const resumed = await runVision(['--task', 'rotation', ...quick(), '--out', out, '--resume', '--max-steps', '3']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.result).toMatchObject({ steps: 3, resumedFromStep: 2 });
    expect(metricLines(out)).toHaveLength(3);
  });

  it('builds the encoder each task declares: a tile encoder with a 28×28 twin for jigsaw, a ViT for MAE', async () => {
    const runs = [['jigsaw', '--permutations', '10'], ['mae']];
    for (const [task, ...flags] of runs) {
      const out = fresh(task as string);
      const run = await runVision(['--task', task as string, ...flags, ...quick(), '--out', out, '--max-steps', '1']);
      expect(run.code, run.stderr).toBe(0);
      expect(features(run.result)[2], task).toEqual(['raw-pixels', 784]);
      expect(
        Object.keys(run.result.measures).some((name) => name.startsWith('heldOut.')),
        task,
      ).toBe(true);
      // The saved encoder takes whole 28×28 images, also when the task trained it on tiles.
      const saved = JSON.parse(readFileSync(join(out, 'encoder', 'model.json'), 'utf8'));
      expect(JSON.stringify(saved), task).toContain('"inputShape":[28,28,1]');
    }
  });

  it('pretrains jigsaw and relative location on photographs: an RGB encoder, held-out accuracy beside chance in colour and grayscale, fine-tuning, transfer to Fashion-MNIST as RGB', async () => {
    const photos = ['--pretrain-data', 'photos', '--photos', testPhotos, ...quick(), '--max-steps', '2'];
    const jigsaw = await runVision([
      '--task',
      'jigsaw',
      '--permutations',
      '10',
      ...photos,
      '--out',
      fresh('photo-jigsaw'),
      '--fine-tune-epochs',
      '1',
      '--fine-tune-labels',
      '96',
    ]);
    expect(jigsaw.code, jigsaw.stderr).toBe(0);
    expect(jigsaw.result.data).toBe(`6 photographs (28×28 patches; 2 held out), then ${data}`);
    expect(features(jigsaw.result)).toEqual([
      ['pretrained', 128],
      ['random-init', 128],
      ['raw-pixels', 28 * 28 * 3],
    ]);
    const m = jigsaw.result.measures;
    expect(m.pretextChance).toBeCloseTo(0.1, 10);
    for (const name of ['heldOut', 'colour', 'grayscale']) {
      expect(m[`${name}.jigsawAccuracy`]).toBeGreaterThanOrEqual(0);
      expect(m[`${name}.jigsawAccuracy`]).toBeLessThanOrEqual(1);
    }
    expect(m).toMatchObject({ 'fineTune.labels': 96, 'fineTune.epochs': 1 });
    expect(m['fineTune.randomInit.testAccuracy']).toBeGreaterThanOrEqual(0);
    expect(readFileSync(jigsaw.result.reportPath as string, 'utf8')).toContain('grayscale.jigsawAccuracy');

    const out = fresh('photo-relative-location');
    const relative = await runVision([
      '--task',
      'relative-location',
      ...photos,
      '--photo-patch-size',
      '56',
      '--out',
      out,
    ]);
    expect(relative.code, relative.stderr).toBe(0);
    expect(relative.result.data).toContain('(56×56 patches; 2 held out)');
    expect(Object.keys(relative.result.measures).sort()).toEqual([
      'colour.relativeLocationAccuracy',
      'grayscale.relativeLocationAccuracy',
      'heldOut.relativeLocationAccuracy',
      'pretextChance',
    ]);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      'chromatic-defence': 'projection',
      'photo-patch-size': 56,
      'pretrain-data': 'photos',
    });
  });

  it('pretrains colorization on photographs: held-out ab error beside the grey floor, a preview of held-out patches', async () => {
    const run = await runVision([
      '--task',
      'colorization',
      '--photos',
      testPhotos,
      ...quick(),
      '--out',
      fresh('colour'),
      '--max-steps',
      '2',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const m = run.result.measures;
    expect(Object.keys(m).sort()).toEqual([
      'greyFloor.abBinAccuracy',
      'greyFloor.abError',
      'heldOut.abBinAccuracy',
      'heldOut.abError',
    ]);
    expect(m['greyFloor.abError']).toBeGreaterThan(1);
    // The encoder sees lightness: it is evaluated on Fashion-MNIST pixels as lightness, one channel.
    expect(features(run.result)[2]).toEqual(['raw-pixels', 784]);
    const preview = run.result.artifacts.colorization as string;
    expect(readFileSync(preview).subarray(1, 4).toString()).toBe('PNG');
  });

  it('refuses bad flags with exit code 2, naming the flag; a missing photo folder fails the run', async () => {
    const refusals: [string[], string][] = [
      [
        ['--task', 'jigsw'],
        "--task: expected rotation | jigsaw | relative-location | colorization | inpainting | denoising | mae, got 'jigsw' (did you mean 'jigsaw'?)",
      ],
      [['--task', 'mae', '--mask-ratio', '1'], "--mask-ratio: expected a number in [0, 1), got '1'"],
      [['--task', 'rotation', '--pretrain-data', 'photos'], '--pretrain-data photos: rotation trains on Fashion-MNIST'],
      [['--task', 'colorization', '--pretrain-data', 'fashion-mnist'], '--pretrain-data: colorization needs photos'],
      [
        ['--task', 'jigsaw', '--photos', testPhotos],
        '--photos: add --pretrain-data photos; this run is jigsaw on fashion-mnist',
      ],
      [
        ['--task', 'jigsaw', '--chromatic-defence', 'none'],
        '--chromatic-defence: for photo jigsaw and relative-location',
      ],
      [
        ['--task', 'colorization', '--photo-patch-size', '64'],
        '--photo-patch-size: for photo jigsaw and relative-location; this run is colorization on photos',
      ],
      [
        ['--task', 'jigsaw', '--pretrain-data', 'photos', '--chromatic-defence', 'projection'],
        '--chromatic-defence: projection is not one of grayscale-and-jitter,none',
      ],
      [
        ['--task', 'jigsaw', '--pretrain-data', 'photos', '--photo-patch-size', '20'],
        "--photo-patch-size: expected an integer ≥ 28, got '20'",
      ],
      [['--task', 'mae', '--fine-tune-labels', '600'], '--fine-tune-*: add --fine-tune-epochs'],
    ];
    for (const [args, message] of refusals) {
      const run = await runVision([...args, '--out', fresh('refused')]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
    const missing = await runVision([
      '--task',
      'colorization',
      '--photos',
      '/nonexistent/photos',
      '--quiet',
      '--out',
      fresh('missing'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('photos: /nonexistent/photos does not exist');
    const main = join(here, 'main.ts');
    const help = spawnSync('npx', ['tsx', '--conditions=@selfsup/source', main, '--', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: selfsup-vision-pretext');
  });
});
