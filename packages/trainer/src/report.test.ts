import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvaluationRow } from './evaluation/evaluate-encoder.js';
import { floorMargins } from './evaluation/floor-margins.js';
import { reportBlob, reportHtml, writeReport } from './report.js';

const row = (features: string, linearProbeAccuracy: number, knnAccuracy: number): EvaluationRow => ({
  features,
  dimension: 128,
  linearProbeAccuracy,
  linearProbeTrainAccuracy: 0.9,
  knnAccuracy,
  knnK: 20,
  seconds: 1,
});

/** Linear probe: +2.0 over random-init, +0.5 over raw pixels; kNN: −1.3 under random-init, level with raw pixels. */
const ROWS = [row('pretrained', 0.85, 0.7), row('random-init', 0.83, 0.713), row('raw-pixels', 0.845, 0.7004)];

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('floorMargins', () => {
  it('gives the pretrained encoder’s margin over each floor, per protocol, in points to one decimal', () => {
    expect(floorMargins(ROWS).map(({ protocol, floor, text }) => ({ protocol, floor, text }))).toEqual([
      { protocol: 'linear probe', floor: 'random-init', text: '+2.0 points over random-init' },
      { protocol: 'linear probe', floor: 'raw-pixels', text: '+0.5 points over raw pixels' },
      { protocol: 'kNN', floor: 'random-init', text: '−1.3 points under random-init' },
      { protocol: 'kNN', floor: 'raw-pixels', text: 'level with raw pixels (±0.0 points)' },
    ]);
    expect(floorMargins(ROWS)[2]?.points).toBeCloseTo(-1.3, 10);
  });

  it('names any floor row (text runs: bag-of-words) and needs a pretrained row', () => {
    expect(floorMargins([row('pretrained', 0.28, 0.2), row('bag-of-words', 0.305, 0.2)])[0]?.text).toBe(
      '−2.5 points under bag-of-words',
    );
    expect(floorMargins([row('random-init', 0.5, 0.5)])).toEqual([]);
  });
});

describe('writeReport', () => {
  it('names the margin over each floor for the linear probe and for kNN', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selfsup-report-'));
    dirs.push(dir);
    const path = await writeReport(dir, {
      title: 'margins',
      history: [{ step: 1, epoch: 0, loss: 2, learningRate: 1e-3 }],
      evaluation: ROWS,
    });
    const html = await readFile(path, 'utf8');
    expect(html).toContain(
      '<li>linear probe: +2.0 points over random-init; +0.5 points over raw pixels</li>' +
        '<li>kNN: −1.3 points under random-init; level with raw pixels (±0.0 points)</li>',
    );
    // The kNN column says the k each row's vote used, not a constant.
    expect(html).toContain('<th>kNN (test)</th><th>k</th>');
    expect(html).toContain('<td>70.00 %</td><td>20</td>');
  });

  it('shows no margins without an evaluation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selfsup-report-'));
    dirs.push(dir);
    const html = await readFile(await writeReport(dir, { title: 'no evaluation', history: [] }), 'utf8');
    expect(html).not.toContain('class="margins"');
  });

  it('is the page reportHtml returns and reportBlob wraps (text/html)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selfsup-report-'));
    dirs.push(dir);
    const contents = {
      title: 'as a string',
      history: [{ step: 1, epoch: 0, loss: 2, learningRate: 1e-3 }],
      evaluation: ROWS,
    };
    const html = reportHtml(contents);
    expect(await readFile(await writeReport(dir, contents), 'utf8')).toBe(html);
    const blob = reportBlob(contents);
    expect(blob.type).toBe('text/html;charset=utf-8');
    expect(await blob.text()).toBe(html);
  });
});
