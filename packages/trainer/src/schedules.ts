/** Learning rate as a function of the (0-based) optimizer step. */
export type LearningRateSchedule = (step: number) => number;

/** A serializable schedule description (what configs and checkpoints store). */
export type ScheduleConfig =
  | { kind: 'constant'; learningRate: number }
  | { kind: 'warmup-cosine'; learningRate: number; warmupSteps: number; totalSteps: number; finalLearningRate?: number }
  | { kind: 'step'; learningRate: number; milestones: number[]; gamma: number };

/**
 * Linear warmup from 0 to `learningRate` over `warmupSteps`, then cosine decay to
 * `finalLearningRate` at `totalSteps` (Goyal et al. 2017; Loshchilov & Hutter 2017), as SimCLR.
 */
export function warmupCosineSchedule(options: {
  learningRate: number;
  warmupSteps: number;
  totalSteps: number;
  finalLearningRate?: number;
}): LearningRateSchedule {
  const { learningRate, warmupSteps, totalSteps } = options;
  const finalLearningRate = options.finalLearningRate ?? 0;
  if (!(totalSteps > 0) || warmupSteps < 0 || warmupSteps > totalSteps) {
    throw new Error(
      `warmupCosineSchedule: need 0 ≤ warmupSteps ≤ totalSteps and totalSteps > 0; got ${warmupSteps} and ${totalSteps}`,
    );
  }
  return (step) => {
    if (step < warmupSteps) return (learningRate * (step + 1)) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    return finalLearningRate + 0.5 * (learningRate - finalLearningRate) * (1 + Math.cos(Math.PI * progress));
  };
}

/** `learningRate` multiplied by `gamma` at each milestone step. */
export function stepSchedule(options: {
  learningRate: number;
  milestones: number[];
  gamma: number;
}): LearningRateSchedule {
  return (step) =>
    options.learningRate * options.gamma ** options.milestones.filter((milestone) => step >= milestone).length;
}

/** The schedule a config describes. @throws for an unknown kind or a non-positive rate. */
export function createSchedule(config: ScheduleConfig): LearningRateSchedule {
  if (!(config.learningRate > 0))
    throw new Error(`schedule: learningRate must be positive, got ${config.learningRate}`);
  switch (config.kind) {
    case 'constant':
      return () => config.learningRate;
    case 'warmup-cosine':
      return warmupCosineSchedule(config);
    case 'step':
      return stepSchedule(config);
    default:
      throw new Error(
        `schedule: '${(config as { kind: string }).kind}' is not a schedule; known: constant, warmup-cosine, step`,
      );
  }
}
