import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvaluationRow } from './evaluation/evaluate-encoder.js';
import { floorMargins } from './evaluation/floor-margins.js';
import { floorSeparationWarnings } from './evaluation/floor-separation.js';
import { accuracyInterval } from './evaluation/wilson-interval.js';
import { reportBlob, reportHtml, writeReport } from './report.js';

const row = (features: string, linearProbeAccuracy: number, knnAccuracy: number): EvaluationRow => ({
  features,
  dimension: 128,
  testCount: 1000,
  linearProbeAccuracy,
  linearProbeInterval: accuracyInterval(linearProbeAccuracy, 1000),
  linearProbeSeedAccuracies: [linearProbeAccuracy],
  linearProbeStd: 0,
  linearProbeTrainAccuracy: 0.9,
  knnAccuracy,
  knnInterval: accuracyInterval(knnAccuracy, 1000),
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
    expect(html).toContain('<td>70.00 % <span class="interval">[67.1, 72.8]</span></td><td>20</td>');
    // Each accuracy with its test-set size and 95 % interval (850 of 1000: Wilson [82.7, 87.1]).
    expect(html).toContain('<td>1000</td><td>85.00 % <span class="interval">[82.7, 87.1]</span></td>');
    // 1000 examples do not separate accuracies 2 points apart: said under the table.
    expect(html).toContain('<ul class="separation"><li>linear probe: 1000 test examples do not separate pretrained');
  });

  it('shows the mean ± std of several probe seeds', () => {
    const seeded = {
      ...row('pretrained', 0.85, 0.7),
      linearProbeSeedAccuracies: [0.84, 0.85, 0.86],
      linearProbeStd: 0.01,
    };
    expect(reportHtml({ title: 'seeds', history: [], evaluation: [seeded] })).toContain(
      '<td>85.00 % ± 1.00 (3 seeds) <span class="interval">[82.7, 87.1]</span></td>',
    );
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

describe('floorSeparationWarnings', () => {
  it('warns, per protocol, of the floors whose 95 % interval overlaps the pretrained one', () => {
    // 60 test examples: 55 (91.7 %) beside 54 (90.0 %) overlap; 43 (71.7 %) does not.
    const small = (features: string, correct: number, knnCorrect: number): EvaluationRow => ({
      ...row(features, correct / 60, knnCorrect / 60),
      testCount: 60,
      linearProbeInterval: accuracyInterval(correct / 60, 60),
      knnInterval: accuracyInterval(knnCorrect / 60, 60),
    });
    const rows = [small('pretrained', 55, 58), small('random-init', 43, 30), small('bag-of-words', 54, 40)];
    expect(floorSeparationWarnings(rows)).toEqual([
      'linear probe: 60 test examples do not separate pretrained (91.7 %, 95 % interval 81.9–96.4 %) from bag-of-words (90.0 %, 79.9–95.3 %): the intervals overlap; hold out more labeled examples',
    ]);
    // 1000 test examples do not separate accuracies 1.3–2 points apart either, in both protocols.
    expect(floorSeparationWarnings(ROWS).map((warning) => warning.split(':')[0])).toEqual(['linear probe', 'kNN']);
    const separated = [row('pretrained', 0.9, 0.9), row('random-init', 0.7, 0.7), row('raw-pixels', 0.8, 0.8)];
    expect(floorSeparationWarnings(separated)).toEqual([]);
    expect(floorSeparationWarnings([row('random-init', 0.5, 0.5)])).toEqual([]);
  });
});
