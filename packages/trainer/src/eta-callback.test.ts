import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrainingProgress } from './callbacks.js';
import { etaCallback } from './eta-callback.js';

/** Drives the callback through `steps` steps of `secondsEach` on a fake clock. */
function runSteps(callback: ReturnType<typeof etaCallback>, steps: number, secondsEach: (step: number) => number) {
  let now = performance.now();
  for (let step = 1; step <= steps; step++) {
    now += 1000 * secondsEach(step);
    vi.spyOn(performance, 'now').mockReturnValue(now);
    const progress = { step, totalSteps: 100 } as TrainingProgress;
    callback.onStepEnd?.({ step, epoch: 1, loss: 1, learningRate: 1e-3 }, progress);
  }
}

afterEach(() => vi.restoreAllMocks());

describe('etaCallback', () => {
  it('estimates the whole run from the timed steps after the warm-up, plus the time after training', () => {
    const lines: string[] = [];
    const started = performance.now();
    vi.spyOn(performance, 'now').mockReturnValue(started + 30_000); // 30 s before pretraining
    const eta = etaCallback({ runStartedAt: started, secondsAfterTraining: 40, log: (line) => lines.push(line) });
    // Step 1 is slow (warm-up); steps 2-6 take 2 s each.
    runSteps(eta, 10, (step) => (step === 1 ? 9 : 2));
    const estimate = eta.estimate();
    expect(estimate?.secondsPerStep).toBeCloseTo(2, 9);
    expect(estimate?.stepsLeft).toBe(94);
    expect(estimate?.elapsedSeconds).toBeCloseTo(30 + 9 + 5 * 2, 6);
    expect(estimate?.remainingSeconds).toBeCloseTo(94 * 2 + 40, 6);
    expect(estimate?.totalSeconds).toBeCloseTo(49 + 188 + 40, 6);
    expect(lines).toHaveLength(1);
    expect(eta.latest()).toEqual(estimate);
    expect(lines[0]).toMatch(
      /^estimated time: 4m37s in all, done around \d\d:\d\d \(94 pretraining steps left at 2\.00 s\/step, then 0m40s of evaluation; 0m49s so far\)$/,
    );
  });

  it('says it again when the pace moves the total more than reviseBeyond, and only then', () => {
    const lines: string[] = [];
    const eta = etaCallback({ secondsAfterTraining: 10, log: (line) => lines.push(line) });
    // 2 s steps, then from step 31 on 4 s steps (the machine got busy).
    runSteps(eta, 60, (step) => (step <= 30 ? 2 : 4));
    // The first estimate, then revisions while the measured window fills with slow steps, none after.
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(lines[0]).toMatch(/^estimated time: /);
    for (const line of lines.slice(1)) expect(line).toMatch(/^revised estimate of the time: /);
    expect(eta.estimate()?.secondsPerStep).toBeCloseTo(2, 9);
    expect(eta.latest()?.secondsPerStep).toBeGreaterThan(3);
    expect(lines.at(-1)).toContain(` at ${eta.latest()?.secondsPerStep.toFixed(2)} s/step`);
    expect(eta.latest()?.stepsLeft).toBeGreaterThan(60);
    // A steady pace is said once.
    const steady: string[] = [];
    runSteps(etaCallback({ log: (line) => steady.push(line) }), 60, () => 2);
    expect(steady).toHaveLength(1);
  });

  it('says nothing when the run ends before the timed steps', () => {
    const lines: string[] = [];
    const eta = etaCallback({ timedSteps: 5, log: (line) => lines.push(line) });
    runSteps(eta, 5, () => 1);
    expect(eta.estimate()).toBeUndefined();
    expect(lines).toEqual([]);
  });

  it('rejects a warm-up or timing of no steps', () => {
    expect(() => etaCallback({ warmupSteps: 0 })).toThrow('etaCallback: warmupSteps must be a positive integer; got 0');
    expect(() => etaCallback({ timedSteps: 1.5 })).toThrow(
      'etaCallback: timedSteps must be a positive integer; got 1.5',
    );
  });
});
