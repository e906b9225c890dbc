import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePng } from '@selfsup/augment';
import { initBackend, tf } from '@selfsup/backend';
import { loadEncoder } from '@selfsup/models';
import { latestCheckpoint, loadCheckpoint } from '@selfsup/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder } from './testing/make-image-folder.js';
import { finished, loggedLosses, runCliProcess, startCli, TINY_IMAGE_RUN as tiny } from './testing/run-cli.js';

let work: string;
const losses = (run: string) => loggedLosses(join(work, run));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'selfsup-run-'));
  await makeImageFolder(join(work, 'images'), { perClass: 8, classes: 4, channels: 3 });
  await makeImageFolder(join(work, 'labeled'), { perClass: 10, classes: 4, channels: 3, labeled: true, offset: 8 });
});

describe('a training run driven through the CLI', () => {
  it('stops on Ctrl-C with a readable checkpoint, and `resume` continues onto the uninterrupted loss curve', async () => {
    const args = ['pretrain', '--data', './images', '--epochs', '12', '--seed', '3', ...tiny];
    const full = await runCliProcess([...args, '--out', 'runs/full', '--quiet'], { cwd: work });
    expect(full.code, full.stderr).toBe(0);

    const child = startCli([...args, '--out', 'runs/interrupted'], { cwd: work });
    const done = finished(child);
    let stderr = '';
    let sent = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && /\(6\/48\)/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const interrupted = await done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toContain('SIGINT: stopping after this step and writing a checkpoint');
    expect(interrupted.stdout).toContain(`continue with: selfsup resume ${join(work, 'runs/interrupted')}`);
    const checkpoints = join(work, 'runs/interrupted/checkpoints');
    const checkpoint = await latestCheckpoint(checkpoints);
    const { trainer } = await loadCheckpoint(checkpoint as string, {});
    expect(trainer.step).toBeGreaterThanOrEqual(6);
    expect(trainer.step).toBeLessThan(48);
    // The newest checkpoint is the one written at the stop, named after its step.
    expect(checkpoint).toBe(join(checkpoints, `step-${String(trainer.step).padStart(9, '0')}`));

    const resumed = await runCliProcess(['resume', 'runs/interrupted', '--json', '--quiet'], { cwd: work });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ command: 'resume', steps: 48, resumedFromStep: trainer.step });
    expect(losses('runs/interrupted')).toEqual(losses('runs/full'));

    // The saved config alone reproduces the run.
    const again = await runCliProcess(
      ['pretrain', '--config', 'runs/full/config.json', '--out', 'runs/reproduced', '--quiet'],
      { cwd: work },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(losses('runs/reproduced')).toEqual(losses('runs/full'));
    const config = JSON.parse(readFileSync(join(work, 'runs/full/config.json'), 'utf8'));
    expect(config.augmentations).toEqual({
      preset: 'simclr',
      options: { size: [16, 16], strength: 1, scale: [0.08, 1] },
    });
    expect(config.model.normalization).toEqual({ mean: expect.any(Array), std: expect.any(Array) });
    expect(config.method.options.projection.hiddenSize).toBe(8);
  });

  it('refuses to resume on an image edited in place since the run started, naming it', async () => {
    const data = join(work, 'edited-images');
    await makeImageFolder(data, { perClass: 4, classes: 2, channels: 3 });
    const args = ['pretrain', '--data', data, '--epochs', '1', '--max-steps', '1', '--out', 'runs/edited', '--quiet'];
    const first = await runCliProcess([...args, ...tiny], { cwd: work });
    expect(first.code, first.stderr).toBe(0);
    const images = (readdirSync(data, { recursive: true }) as string[])
      .filter((name) => /\.(png|jpe?g)$/i.test(name))
      .sort()
      .map((name) => join(data, name));
    const [edited, other] = images as [string, string];
    // Same name, same count, other pixels: what a file-list fingerprint cannot see.
    writeFileSync(edited, readFileSync(other));
    const refused = await runCliProcess(['resume', 'runs/edited', '--quiet'], { cwd: work });
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain(
      `the data changed since the run in ${join(work, 'runs/edited')} started (1 file changed (${edited}))`,
    );
  });

  it('warns once, saying the minimum and why, about a 1×1 image and a training size under 8 px', async () => {
    const data = join(work, 'small-images');
    await makeImageFolder(data, { perClass: 4, classes: 2, channels: 3 });
    const pixel = tf.tidy(() => tf.fill([1, 1, 3], 0.5) as tf.Tensor3D);
    await writePng(pixel, join(data, 'pixel.png'));
    pixel.dispose();
    const args = ['pretrain', '--data', data, '--dry-run', '--out', 'runs/small', ...tiny, '--size', '4'];
    const run = await runCliProcess(args, { cwd: work });
    expect(run.code, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('warning: '));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^warning: images of 4×4 px are below the 8 px a side training needs \(the views’ random crops .*\)/,
      ),
      `warning: 1 image is smaller than 8 px a side (${join(data, 'pixel.png')} 1×1): upscaled to 4×4 they hold no more detail than their few pixels (the views’ random crops keep as little as 8 % of the area and the encoder’s stride-2 blocks shrink 8 px to 1, so there is next to nothing to learn from)`,
    ]);
  });

  it('evaluates beside the floors, exports the encoder for one-call loading, and validates with --dry-run', async () => {
    const run = await runCliProcess(
      [
        'pretrain',
        '--data',
        './images',
        '--task',
        'rotation',
        '--epochs',
        '2',
        '--out',
        'runs/rotation',
        '--quiet',
        ...tiny,
      ],
      { cwd: work },
    );
    expect(run.code, run.stderr).toBe(0);

    const evaluation = await runCliProcess(
      [
        'eval',
        '--checkpoint',
        'runs/rotation',
        '--labels',
        './labeled',
        '--probe-epochs',
        '3',
        '--seeds',
        '2',
        '--json',
        '--quiet',
      ],
      { cwd: work },
    );
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const result = JSON.parse(evaluation.stdout);
    expect(result).toMatchObject({ classes: 4, trainImages: 32, testImages: 8 });
    expect(result.evaluation.map((row: { features: string }) => row.features)).toEqual([
      'pretrained',
      'random-init',
      'raw-pixels',
    ]);
    for (const row of result.evaluation) expect(row.linearProbeAccuracy).toBeGreaterThanOrEqual(0);
    // --seeds 2: two probes per row, their mean; every row on the same 8 test images, with intervals.
    for (const row of result.evaluation) {
      expect(row).toMatchObject({ testCount: 8, linearProbeInterval: { lower: expect.any(Number) } });
      expect(row.linearProbeSeedAccuracies).toHaveLength(2);
      expect(row.linearProbeAccuracy).toBeCloseTo(
        (row.linearProbeSeedAccuracies[0] + row.linearProbeSeedAccuracies[1]) / 2,
        12,
      );
    }
    const missingLabels = await runCliProcess(['eval', '--checkpoint', 'runs/rotation', '--labels', './nope'], {
      cwd: work,
    });
    expect(missingLabels.code).toBe(4);

    const exported = await runCliProcess(['export', 'runs/rotation', '--encoder-only', '--out', 'encoder', '--json'], {
      cwd: work,
    });
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).load).toBe(`await loadEncoder('${join(work, 'encoder')}')`);
    await initBackend({ backend: 'cpu', log: false });
    const encoder = await loadEncoder(join(work, 'encoder'));
    expect(encoder.inputShape).toEqual([16, 16, 3]);
    const features = tf.tidy(() => encoder.apply(tf.zeros([2, 16, 16, 3]), { training: false }));
    expect(features.shape).toEqual([2, 8]);
    features.dispose();
    encoder.dispose();
    const overwrite = await runCliProcess(['export', 'runs/rotation', '--out', 'encoder'], { cwd: work });
    expect(overwrite.code).toBe(6);

    const dry = await runCliProcess(
      ['pretrain', '--data', './images', '--model', 'vit', '--dry-run', '--json', ...tiny.slice(0, 4)],
      {
        cwd: work,
      },
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, stepsPerEpoch: 4, steps: 0 });
  });
});
