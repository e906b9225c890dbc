import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureApp } from '@selfsup/cli';
import { describe, expect, it } from 'vitest';
import { VIDEO_ORDER_APP } from './video-order-app.js';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');

/** Runs the app in this process: exit code, stdout and stderr as text, the result line parsed. */
const runVideoOrder = (args: string[]) => captureApp(VIDEO_ORDER_APP, args);

/** 24 training and 8 held-out videos of 12 frames, decoded at 24×24, a narrow encoder: a short run. */
const SMALL = [
  ...['--train-videos', '24', '--test-videos', '8', '--frames', '12', '--size', '24', '--batch-size', '8'],
  ...['--width', '0.25', '--probe-epochs', '2', '--eval-batches', '2', '--quiet'],
];

describe('video-order app (selfsup-video-order)', () => {
  it('generates videos outside the run, pretrains, measures order accuracy beside chance and the probe beside its floors, resumes, and reuses the videos', async () => {
    const root = mkdtempSync(join(tmpdir(), 'video-order-app-'));
    const out = join(root, 'opn');
    const flags = [...SMALL, '--out', out, '--videos', join(root, 'videos')];
    const first = await runVideoOrder([...flags, '--max-steps', '3']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.result).toMatchObject({
      objective: { kind: 'task', id: 'order-prediction' },
      steps: 3,
      examples: 'videos',
      exampleCount: 24,
      backend: 'wasm',
      measures: {
        orderClasses: 12,
        trainVideos: 24,
        testVideos: 8,
        skippedVideos: 0,
        probeTrainFrames: 96,
        probeTestFrames: 32,
      },
    });
    const { measures } = first.result;
    expect(measures.orderChance).toBeCloseTo(1 / 12, 9);
    for (const value of [measures.orderAccuracy, measures.trainOrderAccuracy, first.result.linearProbeAccuracy]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(first.result.evaluation.map((row) => row.features)).toEqual(['pretrained', 'random-init', 'raw-pixels']);
    expect(first.stdout).toMatch(/^order accuracy \d+\.\d % on held-out videos, .* chance 8\.3 %$/m);
    expect(first.stdout).toMatch(/^raw-pixels +\d+ +\d+ +\d+\.\d\d % \[\d+\.\d–\d+\.\d\]/m);

    // The videos live in a folder of their own settings; the run directory holds only the run.
    const [key] = readdirSync(join(root, 'videos'));
    const manifest = JSON.parse(readFileSync(join(root, 'videos', key as string, 'train', 'manifest.json'), 'utf8'));
    expect(manifest).toHaveLength(24);
    expect(manifest.filter((video: { file: string }) => video.file.endsWith('.webm'))).toHaveLength(12);
    expect(readdirSync(out).sort()).toEqual(
      ['checkpoints', 'config.json', 'encoder', 'metrics.jsonl', 'report.html', 'result.json', 'run.json'].sort(),
    );

    // Each example's frames come from a window of the whole video unless --window-span says less.
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ frames: 12, 'window-span': 12, taskOptions: { windowSpan: 12, frames: 4 } });

    // Another setting is refused on resume; the same settings continue the run.
    const otherLr = await runVideoOrder([...flags, '--max-steps', '5', '--resume', '--lr', '0.01']);
    expect(otherLr.code).toBe(6);
    expect(otherLr.stderr).toContain('lr (0.003 in the run, 0.01 given)');
    const resumed = await runVideoOrder([...flags, '--max-steps', '5', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.result).toMatchObject({ steps: 5, resumedFromStep: 3 });
    expect(resumed.stderr).toContain(`reusing the videos in ${join(root, 'videos', key as string)} (24 + 8)`);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5);

    const sal = join(root, 'sal');
    const shuffle = await runVideoOrder([
      ...SMALL,
      '--out',
      sal,
      '--videos',
      join(root, 'videos'),
      '--task',
      'shuffle-and-learn',
      '--max-steps',
      '2',
    ]);
    expect(shuffle.code, shuffle.stderr).toBe(0);
    expect(shuffle.result).toMatchObject({
      objective: { id: 'shuffle-and-learn' },
      measures: { orderClasses: 2, orderChance: 0.5 },
    });
    expect(shuffle.stderr).toContain('reusing the videos in');
    expect(existsSync(join(sal, 'encoder', 'model.json'))).toBe(true);
  }, 300_000);

  it('refuses bad flags with the usage and exit code 2, naming the flag', async () => {
    const badTask = spawnSync('npx', ['tsx', '--conditions=@selfsup/source', main, '--task', 'jigsaw'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(badTask.status).toBe(2);
    expect(badTask.stderr).toContain("--task: expected opn | shuffle-and-learn, got 'jigsaw'");
    expect(badTask.stderr).toContain('Usage: selfsup-video-order');
    const badFrames = await runVideoOrder(['--frames', '4']);
    expect(badFrames.code).toBe(2);
    expect(badFrames.stderr).toContain("--frames: expected an integer ≥ 8, got '4'");
    const wideWindow = await runVideoOrder(['--frames', '12', '--window-span', '20']);
    expect(wideWindow.code).toBe(2);
    expect(wideWindow.stderr).toContain('--window-span: expected at most --frames (12), got 20');
    const bigGap = await runVideoOrder(['--task', 'shuffle-and-learn', '--window-span', '10', '--minimum-gap', '4']);
    expect(bigGap.code).toBe(2);
    expect(bigGap.stderr).toContain('--minimum-gap: b < c < d with 4 frames free on each side need a window of 11');
    const bigBatch = await runVideoOrder(['--train-videos', '20', '--batch-size', '32']);
    expect(bigBatch.code).toBe(2);
    expect(bigBatch.stderr).toContain('--batch-size: 32 is more than the 20 training videos');
    const help = await runVideoOrder(['--', '--help']); // as `pnpm start -- --help` passes it
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /--videos <dir> +where generated videos are kept.* \[default runs\/video-order-videos\]/,
    );
  }, 180_000);
});
