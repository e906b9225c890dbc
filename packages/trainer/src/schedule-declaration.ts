import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { withDefaultKind } from './default-kind.js';
import type { ScheduleConfig } from './schedules.js';

const learningRate = () => z.number().positive().describe('peak learning rate');

/**
 * A learning-rate schedule in epochs, as a config states it (`warmup-cosine` when the section or
 * its `kind` is left out: `{ learningRate: 0.01 }` is a warmup-cosine schedule with its other
 * defaults), defaults filled in; {@link scheduleInSteps} turns it into the steps `pretrain` counts.
 *
 * @example scheduleOptions().parse({}); // { kind: 'warmup-cosine', learningRate: 0.002, warmupEpochs: 1, finalFraction: 0.01 }
 */
export const scheduleOptions = () =>
  withDefaultKind(
    z.discriminatedUnion('kind', [
      section({
        kind: z.literal('warmup-cosine'),
        learningRate: learningRate().default(2e-3),
        warmupEpochs: z.number().min(0).default(1).describe('linear warmup, in epochs (fractions allowed)'),
        finalFraction: z.number().min(0).max(1).default(0.01).describe('final rate as a fraction of learningRate'),
      }),
      section({ kind: z.literal('constant'), learningRate: learningRate().default(1e-3) }),
      section({
        kind: z.literal('step'),
        learningRate: learningRate().default(1e-3),
        milestoneEpochs: z.array(positiveInteger()).default([]).describe('epochs after which the rate is multiplied'),
        gamma: z.number().positive().default(0.1).describe('factor the rate is multiplied by at each milestone'),
      }),
    ]),
    'warmup-cosine',
  )
    .prefault({ kind: 'warmup-cosine' })
    .describe('learning rate over the run: `warmup-cosine`, `constant`, `step`');

/** A schedule in epochs: the output of {@link scheduleOptions}. */
export type EpochSchedule = z.output<ReturnType<typeof scheduleOptions>>;

/**
 * The schedule `pretrain` runs for an {@link EpochSchedule}, once the steps are known: warmup and
 * milestones at whole steps, cosine decay to `finalFraction × learningRate` at `totalSteps`.
 *
 * @example
 * scheduleInSteps({ kind: 'step', learningRate: 0.1, milestoneEpochs: [2], gamma: 0.1 }, { stepsPerEpoch: 50, totalSteps: 150 });
 * // { kind: 'step', learningRate: 0.1, milestones: [100], gamma: 0.1 }
 */
export function scheduleInSteps(
  schedule: EpochSchedule,
  { stepsPerEpoch, totalSteps }: { stepsPerEpoch: number; totalSteps: number },
): ScheduleConfig {
  switch (schedule.kind) {
    case 'constant':
      return { kind: 'constant', learningRate: schedule.learningRate };
    case 'step':
      return {
        kind: 'step',
        learningRate: schedule.learningRate,
        milestones: schedule.milestoneEpochs.map((epoch) => epoch * stepsPerEpoch),
        gamma: schedule.gamma,
      };
    default:
      return {
        kind: 'warmup-cosine',
        learningRate: schedule.learningRate,
        warmupSteps: Math.min(totalSteps, Math.round(schedule.warmupEpochs * stepsPerEpoch)),
        totalSteps,
        finalLearningRate: schedule.learningRate * schedule.finalFraction,
      };
  }
}
