import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder } from './testing/make-image-folder.js';
import { makeVideoFolder } from './testing/make-video-folder.js';
import { loggedLosses, runCliProcess } from './testing/run-cli.js';

let work: string;
const tiny = [
  '--size',
  '32',
  '--batch-size',
  '4',
  '--set',
  'data.frames=8',
  '--set',
  'model.options.widths=[8,16]',
  '--set',
  'model.options.strides=[1,2]',
  '--set',
  'checkpoints.everySteps=2',
];
const losses = (run: string) => loggedLosses(join(work, run));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'selfsup-video-'));
  await initBackend({ backend: 'wasm', log: false });
  await makeVideoFolder(join(work, 'videos'), { count: 8, corrupt: true });
  await makeImageFolder(join(work, 'labeled'), { perClass: 6, classes: 3, channels: 3, labeled: true });
}, 120_000);

describe('video folders through the CLI', () => {
  it('pretrains a frame-order task on real videos, skips and reports a broken file, resumes onto the same curve', async () => {
    const args = ['pretrain', '--data', './videos', '--task', 'order-prediction', '--epochs', '4', ...tiny];
    const first = await runCliProcess([...args, '--max-steps', '3', '--out', 'runs/split'], { cwd: work });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`skipped ${join(work, 'videos', 'broken.mp4')}: unreadable`);
    expect(first.stderr).toMatch(/8 videos × 8 frames at 32×32×3/);
    const config = JSON.parse(readFileSync(join(work, 'runs/split/config.json'), 'utf8'));
    expect(config.data).toMatchObject({ kind: 'video-folder', frames: 8, size: [32, 32], channels: 3 });
    expect(config.model.kind).toBe('small-cnn');
    const run = JSON.parse(readFileSync(join(work, 'runs/split/run.json'), 'utf8'));
    expect(run.data.skipped.map((s: { path: string }) => s.path)).toEqual([join(work, 'videos', 'broken.mp4')]);

    const resumed = await runCliProcess(['resume', 'runs/split', '--max-steps', '6', '--quiet'], { cwd: work });
    expect(resumed.code, resumed.stderr).toBe(0);
    const straight = await runCliProcess(
      [...args, '--max-steps', '6', '--out', 'runs/straight', '--quiet', '--labels', './labeled'],
      { cwd: work },
    );
    expect(straight.code, straight.stderr).toBe(0);
    const once = losses('runs/straight');
    const twice = losses('runs/split');
    expect(twice).toHaveLength(6);
    twice.forEach((loss, i) => {
      expect(Number.isFinite(loss)).toBe(true);
      expect(loss).toBeCloseTo(once[i] as number, 4);
    });
    // With labeled images, the frame encoder is probed beside its floors like an image encoder.
    const summary = JSON.parse(readFileSync(join(work, 'runs/straight/result.json'), 'utf8'));
    expect(summary.evaluation.map((row: { features: string }) => row.features)).toEqual([
      'pretrained',
      'random-init',
      'raw-pixels',
    ]);
  }, 240_000);

  it('refuses what does not fit video, naming the field', async () => {
    const method = await runCliProcess(['pretrain', '--data', './videos'], { cwd: work });
    expect(method.code).toBe(3);
    expect(method.stderr).toContain("method.id: method 'simclr' trains on augmented image views; video data");
    const textTask = await runCliProcess(['pretrain', '--data', './videos', '--task', 'bert-mlm'], { cwd: work });
    expect(textTask.code).toBe(3);
    expect(textTask.stderr).toMatch(
      /task 'bert-mlm' trains on text, but data\.kind 'video-folder' gives video; video tasks: .*order-prediction/,
    );
    const augmented = await runCliProcess(
      ['pretrain', '--data', './videos', '--task', 'arrow-of-time', '--preset', 'simclr'],
      { cwd: work },
    );
    expect(augmented.code).toBe(3);
    expect(augmented.stderr).toContain(
      'augmentations: augmentations make image views; video tasks make their own inputs',
    );
    const tooFew = await runCliProcess(
      ['pretrain', '--data', './videos', '--task', 'arrow-of-time', '--batch-size', '64', '--out', 'runs/few'],
      { cwd: work },
    );
    expect(tooFew.code).toBe(4);
    expect(tooFew.stderr).toMatch(
      /holds 8 readable videos \(1 skipped\), fewer than one batch of 64 \(data\.batchSize\)/,
    );
  }, 120_000);
});
