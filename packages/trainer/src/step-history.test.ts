import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@selfsup/backend';
import { labeledImageBatches, loadIdxImages, selectImages } from '@selfsup/data';
import { createSmallCnn } from '@selfsup/models';
import { rotationTask } from '@selfsup/vision';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StepRecord } from './checkpoint-format.js';
import { pretrain } from './pretrain.js';
import { appendStepRecord, boundHistory } from './step-history.js';
import { taskObjective } from './task-objective.js';

const record = (step: number): StepRecord => ({ step, epoch: 1, loss: 1 / step, learningRate: 0.1 });

/** The steps kept after `step` steps, by the rule written out: step 1, the multiples of the stride, the newest. */
function expectedSteps(step: number, points: number): number[] {
  let stride = 1;
  while (Math.floor(step / stride) > points) stride *= 2;
  return Array.from({ length: step }, (_, i) => i + 1).filter((s) => s === 1 || s % stride === 0 || s === step);
}

describe('appendStepRecord', () => {
  it('keeps every step up to the limit, then evenly thinned points, never more than points + 2', () => {
    const history: StepRecord[] = [];
    for (let step = 1; step <= 3000; step++) {
      appendStepRecord(history, record(step), 16);
      expect(history.length).toBeLessThanOrEqual(18);
      expect(history.map((r) => r.step)).toEqual(expectedSteps(step, 16));
    }
    // 3000 steps at 16 points: a stride of 256.
    expect(history.map((r) => r.step)).toEqual([1, ...Array.from({ length: 11 }, (_, i) => 256 * (i + 1)), 3000]);
    expect(history.at(-1)).toEqual(record(3000));
  });

  it('keeps a short run whole (every step while there are at most `points`)', () => {
    const history: StepRecord[] = [];
    for (let step = 1; step <= 1000; step++) appendStepRecord(history, record(step), 1000);
    expect(history).toEqual(Array.from({ length: 1000 }, (_, i) => record(i + 1)));
  });

  it('boundHistory thins a full curve (an older checkpoint) to what appending would have kept', () => {
    const full = Array.from({ length: 777 }, (_, i) => record(i + 1));
    boundHistory(full, 777, 50);
    expect(full.map((r) => r.step)).toEqual(expectedSteps(777, 50));
    const appended: StepRecord[] = [];
    for (let step = 1; step <= 777; step++) appendStepRecord(appended, record(step), 50);
    expect(full).toEqual(appended);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => appendStepRecord([], record(1), 0)).toThrow('historyPoints must be a positive integer, got 0');
    expect(() => boundHistory([], 1, 2.5)).toThrow('historyPoints must be a positive integer, got 2.5');
  });
});

describe("pretrain's bounded history", () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: false });
  });

  function run(dir: string | undefined, extra: { maxSteps?: number; resume?: boolean } = {}) {
    const encoder = createSmallCnn({ widths: [4, 8], strides: [2, 2], seed: 3 });
    const objective = taskObjective(rotationTask(), encoder, { seed: 4 });
    return {
      encoder,
      objective,
      result: (async () =>
        pretrain({
          objective,
          data: labeledImageBatches(
            selectImages(
              await loadIdxImages({ split: 'train' }),
              Array.from({ length: 64 }, (_, i) => i * 23),
            ),
            { batchSize: 8, seed: 5 },
          ),
          epochs: 3,
          optimizer: { kind: 'adam' },
          schedule: { kind: 'constant', learningRate: 1e-3 },
          seed: 6,
          historyPoints: 4,
          ...(dir === undefined ? {} : { checkpoint: { dir, everySteps: 5, keep: 10 } }),
          ...extra,
        }))(),
    };
  }

  it("bounds each checkpoint's trainer.json, and a resumed run ends on the same curve and weights", async () => {
    const full = run(undefined);
    const fullResult = await full.result;
    const fullWeights = await Promise.all(full.encoder.trainableVariables.map((v) => v.data()));
    full.objective.dispose();
    full.encoder.dispose();
    // 24 steps, 4 points: every 8th step, step 1 and the newest.
    expect(fullResult.history.map((r) => r.step)).toEqual([1, 8, 16, 24]);

    const dir = mkdtempSync(join(tmpdir(), 'selfsup-history-'));
    const first = run(dir, { maxSteps: 13 });
    await first.result;
    first.objective.dispose();
    first.encoder.dispose();
    const second = run(dir, { resume: true });
    const resumed = await second.result;
    const resumedWeights = await Promise.all(second.encoder.trainableVariables.map((v) => v.data()));
    second.objective.dispose();
    second.encoder.dispose();

    expect(resumed.resumedFromStep).toBe(13);
    expect(resumed.history).toEqual(fullResult.history);
    expect(resumedWeights).toEqual(fullWeights);
    const saved = readdirSync(dir)
      .filter((name) => name.startsWith('step-'))
      .map(
        (name) =>
          JSON.parse(readFileSync(join(dir, name, 'trainer.json'), 'utf8')) as { step: number; history: StepRecord[] },
      );
    expect(saved.map((trainer) => trainer.step)).toEqual([5, 8, 10, 13, 15, 16, 20, 24]); // every 5 steps and each epoch end;
    for (const trainer of saved) {
      expect(trainer.history.length).toBeLessThanOrEqual(6);
      expect(trainer.history.map((r) => r.step)).toEqual(expectedSteps(trainer.step, 4));
    }
  }, 120_000);
});
