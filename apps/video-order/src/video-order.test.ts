import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRunOptions } from './run-options.js';
import { runVideoOrder } from './run-video-order.js';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const cli = (args: string[]) =>
  spawnSync('npx', ['tsx', '--conditions=@selfsup/source', main, ...args], { encoding: 'utf8', timeout: 300_000 });

describe('video-order app', () => {
  it('generates videos, pretrains, reports order accuracy beside chance and the probe beside its floors, and reuses the videos', async () => {
    const out = mkdtempSync(join(tmpdir(), 'video-order-app-'));
    const args = ['--out', out, '--train-videos', '24', '--test-videos', '8', '--frames', '12', '--size', '24'];
    const small = [
      ...args,
      '--batch-size',
      '8',
      '--max-steps',
      '3',
      '--width',
      '0.25',
      '--probe-epochs',
      '2',
      '--eval-batches',
      '2',
      '--quiet',
    ];
    const options = parseRunOptions(small);
    if (options === 'help') throw new Error('unexpected help');
    const lines: string[] = [];
    const { result, evaluation } = await runVideoOrder(options, (line) => lines.push(line));
    expect(result).toMatchObject({
      task: 'order-prediction',
      steps: 3,
      orderClasses: 12,
      trainVideos: 24,
      testVideos: 8,
      skippedVideos: 0,
      probeTrainFrames: 96,
      probeTestFrames: 32,
      backend: 'wasm',
    });
    expect(result.orderChance).toBeCloseTo(1 / 12, 9);
    for (const key of [
      'orderAccuracy',
      'trainOrderAccuracy',
      'linearProbeAccuracy',
      'randomInitLinearProbeAccuracy',
      'rawPixelsLinearProbeAccuracy',
    ]) {
      const value = result[key as keyof typeof result] as number;
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(evaluation.map((row) => row.features)).toEqual(['pretrained', 'random-init', 'raw-pixels']);
    const videos = join(out, 'videos');
    const manifest = JSON.parse(readFileSync(join(videos, 'train', 'manifest.json'), 'utf8'));
    expect(manifest).toHaveLength(24);
    expect(manifest.filter((v: { file: string }) => v.file.endsWith('.webm'))).toHaveLength(12);
    for (const file of ['report.html', 'metrics.jsonl', join('encoder', 'model.json')])
      expect(existsSync(join(out, file))).toBe(true);

    const again = parseRunOptions([...small.filter((a) => a !== '--quiet'), '--task', 'shuffle-and-learn', '--quiet']);
    if (again === 'help') throw new Error('unexpected help');
    const second = await runVideoOrder(again, (line) => lines.push(line));
    expect(second.result).toMatchObject({ task: 'shuffle-and-learn', orderClasses: 2, orderChance: 0.5 });
    expect(lines.some((line) => line.startsWith(`reusing 24 + 8 videos in ${videos}`))).toBe(true);
  });

  it('the CLI prints the usage and exits 2 on bad flags, naming the flag', () => {
    const badTask = cli(['--task', 'jigsaw']);
    expect(badTask.status).toBe(2);
    expect(badTask.stderr).toContain("--task: 'jigsaw' is not a task of this app; known: opn, shuffle-and-learn");
    const badFrames = cli(['--frames', '4']);
    expect(badFrames.status).toBe(2);
    expect(badFrames.stderr).toContain('--frames: order tasks need at least 8 frames per video, got 4');
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: selfsup-video-order');
  });

  it('draws each example from a window of --window-span frames, at most the whole video', () => {
    expect(parseRunOptions(['--frames', '16'])).toMatchObject({ frames: 16, windowSpan: 16 });
    expect(parseRunOptions(['--window-span', '10'])).toMatchObject({ frames: 24, windowSpan: 10 });
    expect(() => parseRunOptions(['--frames', '12', '--window-span', '20'])).toThrow(
      '--window-span: expected 5 to --frames (12) frames, got 20',
    );
  });
});
