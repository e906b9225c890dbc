import { describe, expect, it } from 'vitest';
import { createSchedule, warmupCosineSchedule } from './schedules.js';

describe('learning-rate schedules', () => {
  it('warms up linearly, then decays by a cosine to the final rate', () => {
    const schedule = warmupCosineSchedule({
      learningRate: 1,
      warmupSteps: 10,
      totalSteps: 110,
      finalLearningRate: 0.1,
    });
    expect(schedule(0)).toBeCloseTo(0.1);
    expect(schedule(9)).toBeCloseTo(1);
    expect(schedule(10)).toBeCloseTo(1);
    expect(schedule(60)).toBeCloseTo(0.55);
    expect(schedule(110)).toBeCloseTo(0.1);
    expect(schedule(500)).toBeCloseTo(0.1);
    for (let s = 11; s < 110; s++) expect(schedule(s)).toBeLessThanOrEqual(schedule(s - 1));
  });

  it('steps down at milestones and rejects bad configs', () => {
    const schedule = createSchedule({ kind: 'step', learningRate: 0.1, milestones: [5, 8], gamma: 0.1 });
    expect([0, 4, 5, 7, 8, 20].map(schedule).map((v) => Number(v.toPrecision(3)))).toEqual([
      0.1, 0.1, 0.01, 0.01, 0.001, 0.001,
    ]);
    expect(() => createSchedule({ kind: 'constant', learningRate: 0 })).toThrow(/learningRate must be positive/);
    expect(() => createSchedule({ kind: 'warmup-cosine', learningRate: 1, warmupSteps: 20, totalSteps: 10 })).toThrow(
      /warmupSteps/,
    );
    expect(() => createSchedule({ kind: 'linear', learningRate: 1 } as never)).toThrow("'linear' is not a schedule");
  });
});
