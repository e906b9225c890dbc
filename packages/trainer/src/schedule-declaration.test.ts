import { describe, expect, it } from 'vitest';
import { optimizerOptions } from './optimizers/optimizer-declaration.js';
import { scheduleInSteps, scheduleOptions } from './schedule-declaration.js';

describe('scheduleOptions and scheduleInSteps', () => {
  it('fill in the defaults of each kind (warmup-cosine when left out)', () => {
    expect(scheduleOptions().parse(undefined)).toEqual({
      kind: 'warmup-cosine',
      learningRate: 2e-3,
      warmupEpochs: 1,
      finalFraction: 0.01,
    });
    expect(scheduleOptions().parse({ kind: 'step' })).toEqual({
      kind: 'step',
      learningRate: 1e-3,
      milestoneEpochs: [],
      gamma: 0.1,
    });
    expect(scheduleOptions().safeParse({ kind: 'cosine' }).success).toBe(false);
  });

  it('merge a section without `kind` into the default kind’s defaults; a named kind validates its own fields', () => {
    expect(scheduleOptions().parse({ learningRate: 0.01 })).toEqual({
      kind: 'warmup-cosine',
      learningRate: 0.01,
      warmupEpochs: 1,
      finalFraction: 0.01,
    });
    expect(scheduleOptions().parse({ kind: 'constant', learningRate: 0.01 })).toEqual({
      kind: 'constant',
      learningRate: 0.01,
    });
    // The default kind's fields only: another kind's field is named as unknown.
    expect(scheduleOptions().safeParse({ gamma: 0.5 }).error?.issues[0]?.message).toMatch(/unknown field 'gamma'/);
    expect(scheduleOptions().safeParse({ kind: 'constant', warmupEpochs: 2 }).success).toBe(false);
    expect(optimizerOptions().parse({ weightDecay: 0.1 })).toEqual({
      kind: 'adam',
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0.1,
    });
    expect(optimizerOptions().safeParse({ momentum: 0.5 }).error?.issues[0]?.message).toMatch(
      /unknown field 'momentum'/,
    );
  });

  it('count epochs in steps: warmup rounded and capped at the run, milestones at epoch ends, the final rate a fraction', () => {
    const steps = { stepsPerEpoch: 10, totalSteps: 30 };
    expect(
      scheduleInSteps({ kind: 'warmup-cosine', learningRate: 0.5, warmupEpochs: 0.25, finalFraction: 0.1 }, steps),
    ).toEqual({ kind: 'warmup-cosine', learningRate: 0.5, warmupSteps: 3, totalSteps: 30, finalLearningRate: 0.05 });
    expect(
      scheduleInSteps({ kind: 'warmup-cosine', learningRate: 1, warmupEpochs: 5, finalFraction: 0 }, steps),
    ).toMatchObject({ warmupSteps: 30 });
    expect(scheduleInSteps({ kind: 'step', learningRate: 1, milestoneEpochs: [1, 2], gamma: 0.5 }, steps)).toEqual({
      kind: 'step',
      learningRate: 1,
      milestones: [10, 20],
      gamma: 0.5,
    });
    expect(scheduleInSteps({ kind: 'constant', learningRate: 0.1 }, steps)).toEqual({
      kind: 'constant',
      learningRate: 0.1,
    });
  });
});

describe('optimizerOptions', () => {
  it('fill in each optimizer’s defaults (adam when left out) and reject a kind that is not one', () => {
    expect(optimizerOptions().parse(undefined)).toEqual({
      kind: 'adam',
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0,
    });
    expect(optimizerOptions().parse({ kind: 'adamw' })).toMatchObject({ weightDecay: 0.05 });
    expect(optimizerOptions().parse({ kind: 'sgd' })).toEqual({
      kind: 'sgd',
      momentum: 0.9,
      nesterov: false,
      weightDecay: 0,
    });
    expect(optimizerOptions().parse({ kind: 'lars' })).toEqual({
      kind: 'lars',
      momentum: 0.9,
      weightDecay: 1e-6,
      trustCoefficient: 0.001,
    });
    expect(optimizerOptions().safeParse({ kind: 'rmsprop' }).success).toBe(false);
    expect(optimizerOptions().safeParse({ kind: 'sgd', momentum: 1 }).success).toBe(false);
  });
});
