import { accuracyInterval, type EvaluationRow } from '@selfsup/trainer';
import { describe, expect, it } from 'vitest';
import type { Output } from '../output.js';
import { printEvaluation } from './print-summary.js';

const row = (features: string, correct: number, seeds: number[] = [correct / 60]): EvaluationRow => ({
  features,
  dimension: 64,
  testCount: 60,
  linearProbeAccuracy: correct / 60,
  linearProbeInterval: accuracyInterval(correct / 60, 60),
  linearProbeSeedAccuracies: seeds,
  linearProbeStd: seeds.length > 1 ? 0.0125 : 0,
  linearProbeTrainAccuracy: 1,
  knnAccuracy: 0.5,
  knnInterval: accuracyInterval(0.5, 60),
  knnK: 20,
  seconds: 1,
});

function printed(rows: EvaluationRow[]): string[] {
  const lines: string[] = [];
  const output: Output = {
    json: false,
    print: (line) => lines.push(line),
    result: () => {},
    log: () => {},
    error: () => {},
  };
  printEvaluation(output, rows);
  return lines;
}

describe('printEvaluation', () => {
  it('prints each accuracy with the test-set size and its 95 % interval, and warns when a floor is not separated', () => {
    const lines = printed([row('pretrained', 55), row('bag-of-words', 54)]);
    expect(lines[1]).toMatch(/^pretrained\s+64\s+60\s+91\.67 % \[81\.9–96\.4\]\s+50\.00 % \[37\.7–62\.3\]$/);
    expect(lines[3]).toBe('[…]: 95 % Wilson interval of each test accuracy');
    expect(lines[4]).toMatch(/^warning: linear probe: 60 test examples do not separate pretrained \(91\.7 %/);
  });

  it('prints the mean ± std of several probe seeds', () => {
    const lines = printed([row('pretrained', 55, [0.9, 0.925, 0.925])]);
    expect(lines[0]).toContain('linear probe (3 seeds)');
    expect(lines[1]).toContain('91.67 ± 1.25 % [81.9–96.4]');
  });
});
