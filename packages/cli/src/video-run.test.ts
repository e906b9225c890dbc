import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend, tf } from '@selfsup/backend';
import { loadEncoder } from '@selfsup/models';
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
    expect(first.stderr).toMatch(/8 videos → 8 sequences × 8 frames of 32×32×3/);
    const config = JSON.parse(readFileSync(join(work, 'runs/split/config.json'), 'utf8'));
    expect(config.data).toMatchObject({ kind: 'video-folder', frames: 8, size: [32, 32], channels: 3 });
    expect(config.model.kind).toBe('small-cnn');
    const run = JSON.parse(readFileSync(join(work, 'runs/split/run.json'), 'utf8'));
    expect(run.details.skipped.map((s: { path: string }) => s.path)).toEqual([join(work, 'videos', 'broken.mp4')]);

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

    // `eval` probes a video run's frame encoder on labeled images; a clip encoder is refused with the reason.
    const evaluated = await runCliProcess(
      ['eval', 'runs/split', '--labels', './labeled', '--probe-epochs', '5', '--json'],
      { cwd: work },
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ modality: 'image', classes: 3 });
    expect(evaluated.stderr).toContain('the per-frame encoder of a video run, probed on labeled images');
    const clips = await runCliProcess(['eval', 'runs/split/clip-encoder', '--labels', './labeled'], { cwd: work });
    expect(clips.code).toBe(2);
    expect(clips.stderr).toContain(
      'a frame-stack-encoder encoder of [8, 32, 32, 3] inputs; eval probes image encoders',
    );

    // Export: the frame encoder, the clip encoder over whole sequences, and the task's head.
    const exported = await runCliProcess(['export', 'runs/split', '--out', 'exported', '--json'], { cwd: work });
    expect(exported.code, exported.stderr).toBe(0);
    expect(Object.keys(JSON.parse(exported.stdout).modules).sort()).toEqual(['clip-encoder', 'encoder', 'head']);
    const encoderOnly = await runCliProcess(['export', 'runs/split', '--encoder-only', '--out', 'frame-encoder'], {
      cwd: work,
    });
    expect(encoderOnly.code, encoderOnly.stderr).toBe(0);
    expect(encoderOnly.stdout).toContain('createFrameStackEncoder({ frameEncoder: encoder, frames: 8');
    const frameEncoder = await loadEncoder(join(work, 'frame-encoder'));
    const clipEncoder = await loadEncoder(join(work, 'exported', 'clip-encoder'));
    expect(clipEncoder.inputShape).toEqual([8, 32, 32, 3]);
    const [perFrame, perClip] = tf.tidy(() => {
      const frames = createRng(5).uniformTensor([2, 8, 32, 32, 3]);
      const mean = tf.mean(
        tf.reshape(frameEncoder.apply(tf.reshape(frames, [16, 32, 32, 3]), { training: false }), [2, 8, 16]),
        1,
      );
      return [mean.arraySync() as number[][], clipEncoder.apply(frames, { training: false }).arraySync() as number[][]];
    });
    // The clip encoder is the trained frame encoder, its features averaged over the frames.
    perClip.forEach((row, i) => {
      row.forEach((value, d) => {
        expect(value).toBeCloseTo(perFrame[i]?.[d] as number, 4);
      });
    });
    frameEncoder.dispose();
    clipEncoder.dispose();
  }, 240_000);

  it('takes clips at a frame rate, several per video, and skips videos too short for them', async () => {
    const clips = await runCliProcess(
      [
        'pretrain',
        '--data',
        './videos',
        '--task',
        'order-prediction',
        ...tiny,
        '--set',
        'data.frames=4',
        '--set',
        'data.fps=6',
        '--set',
        'data.clipsPerVideo=2',
        '--max-steps',
        '2',
        '--out',
        'runs/clips',
      ],
      { cwd: work },
    );
    expect(clips.code, clips.stderr).toBe(0);
    // 16 frames at 12 fps: two clips of 4 frames 2 apart (6 fps) from each of the 8 readable videos.
    expect(clips.stderr).toMatch(/8 videos → 16 sequences \(2 per video\) × 4 frames at 6 fps of 32×32×3/);
    expect(JSON.parse(readFileSync(join(work, 'runs/clips/config.json'), 'utf8')).data).toMatchObject({
      frames: 4,
      fps: 6,
      clipsPerVideo: 2,
    });
    const tooShort = await runCliProcess(
      [
        'pretrain',
        '--data',
        './videos',
        '--task',
        'arrow-of-time',
        ...tiny,
        '--set',
        'data.fps=1',
        '--out',
        'runs/short',
      ],
      { cwd: work },
    );
    expect(tooShort.code).toBe(4);
    expect(tooShort.stderr).toContain(
      `skipped ${join(work, 'videos', 'item-00000.mp4')}: out-of-range: ${join(work, 'videos', 'item-00000.mp4')}: too short: 16 frames (1.33 s at 12.00 fps), but a clip of 8 frames at 1 fps spans 85`,
    );
    expect(tooShort.stderr).toMatch(/holds 0 readable videos \(9 skipped\) giving 0 sequences/);
  }, 120_000);

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
      /holds 8 readable videos \(1 skipped\) giving 8 sequences, fewer than one batch of 64 \(data\.batchSize\)/,
    );
  }, 120_000);
});
