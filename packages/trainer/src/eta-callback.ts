import type { TrainingCallback } from './callbacks.js';
import { formatDuration } from './format-duration.js';

/** A run's time, estimated from pretraining steps timed in this process. */
export interface RunEstimate {
  /** Seconds per pretraining step, over the timed steps. */
  secondsPerStep: number;
  /** Pretraining steps still to run after the estimate. */
  stepsLeft: number;
  /** Seconds the run had spent when the estimate was made (before pretraining included). */
  elapsedSeconds: number;
  /** Seconds still to come: the steps left, then `secondsAfterTraining`. */
  remainingSeconds: number;
  /** `elapsedSeconds + remainingSeconds`: the whole run. */
  totalSeconds: number;
}

export interface EtaCallbackOptions {
  /** `performance.now()` when the run began (default: when the callback was made). */
  runStartedAt?: number;
  /** Seconds the run will spend after pretraining, measured (e.g. the random-init floor's evaluation). */
  secondsAfterTraining?: number;
  /** Steps left untimed first, at least 1: kernels compile and caches fill on the first step (default 1). */
  warmupSteps?: number;
  /** Steps timed for the estimate (default 5). */
  timedSteps?: number;
  /** Where the one line goes (default `console.error`). */
  log?: (line: string) => void;
}

/**
 * Says once, early, how long the whole run will take: times `timedSteps` pretraining steps after
 * `warmupSteps`, then logs the estimate — steps left at the measured pace plus the measured
 * `secondsAfterTraining` plus what has passed — and the clock time it should end. `estimate()`
 * returns it (undefined until then, or when the run ends first).
 *
 * @example
 * const eta = etaCallback({ runStartedAt: started, secondsAfterTraining: floors[0].seconds });
 * await pretrain({ ..., callbacks: [eta] });
 * console.log(eta.estimate()?.totalSeconds);
 */
export function etaCallback(options: EtaCallbackOptions = {}): TrainingCallback & {
  estimate(): RunEstimate | undefined;
} {
  const runStartedAt = options.runStartedAt ?? performance.now();
  const warmupSteps = options.warmupSteps ?? 1;
  const timedSteps = options.timedSteps ?? 5;
  const after = options.secondsAfterTraining ?? 0;
  const log = options.log ?? ((line: string) => console.error(line));
  for (const [name, value] of [
    ['warmupSteps', warmupSteps],
    ['timedSteps', timedSteps],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`etaCallback: ${name} must be a positive integer; got ${value}`);
  }
  let stepsSeen = 0;
  let timingFrom: number | undefined;
  let estimate: RunEstimate | undefined;
  return {
    onStepEnd(_record, progress) {
      stepsSeen++;
      const now = performance.now();
      if (stepsSeen === warmupSteps) timingFrom = now;
      if (estimate !== undefined || stepsSeen !== warmupSteps + timedSteps || timingFrom === undefined) return;
      const secondsPerStep = (now - timingFrom) / 1000 / timedSteps;
      const stepsLeft = progress.totalSteps - progress.step;
      const elapsedSeconds = (now - runStartedAt) / 1000;
      const remainingSeconds = stepsLeft * secondsPerStep + after;
      estimate = {
        secondsPerStep,
        stepsLeft,
        elapsedSeconds,
        remainingSeconds,
        totalSeconds: elapsedSeconds + remainingSeconds,
      };
      const end = new Date(Date.now() + remainingSeconds * 1000);
      log(
        `estimated time: ${formatDuration(estimate.totalSeconds)} in all, done around ${end.toTimeString().slice(0, 5)} ` +
          `(${stepsLeft} pretraining steps left at ${secondsPerStep.toFixed(2)} s/step, then ${formatDuration(after)} of evaluation; ${formatDuration(elapsedSeconds)} so far)`,
      );
    },
    estimate: () => estimate,
  };
}
