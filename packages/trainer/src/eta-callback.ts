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
  /** Steps timed for the estimate, and the window the pace is re-measured over later (default 5). */
  timedSteps?: number;
  /** A later estimate this far (as a fraction) from the last one said is said again (default 0.2). */
  reviseBeyond?: number;
  /** Where the lines go (default `console.error`). */
  log?: (line: string) => void;
}

/**
 * Says early how long the whole run will take: times `timedSteps` pretraining steps after
 * `warmupSteps`, then logs the estimate — steps left at the measured pace plus the measured
 * `secondsAfterTraining` plus what has passed — and the clock time it should end. Afterwards it
 * re-measures the pace over the last `timedSteps` steps and logs a revised estimate whenever the
 * total moves more than `reviseBeyond` from the last one logged (a machine that got busier or
 * quieter). `estimate()` returns the first estimate, `latest()` the last one logged (undefined
 * until the first, or when the run ends before it).
 *
 * @example
 * const eta = etaCallback({ runStartedAt: started, secondsAfterTraining: floors[0].seconds });
 * await pretrain({ ..., callbacks: [eta] });
 * console.log(eta.estimate()?.totalSeconds);
 */
export function etaCallback(options: EtaCallbackOptions = {}): TrainingCallback & {
  estimate(): RunEstimate | undefined;
  latest(): RunEstimate | undefined;
} {
  const runStartedAt = options.runStartedAt ?? performance.now();
  const warmupSteps = options.warmupSteps ?? 1;
  const timedSteps = options.timedSteps ?? 5;
  const after = options.secondsAfterTraining ?? 0;
  const reviseBeyond = options.reviseBeyond ?? 0.2;
  const log = options.log ?? ((line: string) => console.error(line));
  for (const [name, value] of [
    ['warmupSteps', warmupSteps],
    ['timedSteps', timedSteps],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`etaCallback: ${name} must be a positive integer; got ${value}`);
  }
  let stepsSeen = 0;
  /** End times of the last `timedSteps + 1` steps from the warm-up's last on. */
  const ends: number[] = [];
  let first: RunEstimate | undefined;
  let latest: RunEstimate | undefined;
  return {
    onStepEnd(_record, progress) {
      stepsSeen++;
      if (stepsSeen < warmupSteps) return;
      const now = performance.now();
      ends.push(now);
      if (ends.length > timedSteps + 1) ends.shift();
      if (ends.length < timedSteps + 1) return;
      const secondsPerStep = (now - (ends[0] as number)) / 1000 / timedSteps;
      const stepsLeft = progress.totalSteps - progress.step;
      const elapsedSeconds = (now - runStartedAt) / 1000;
      const remainingSeconds = stepsLeft * secondsPerStep + after;
      const estimate = {
        secondsPerStep,
        stepsLeft,
        elapsedSeconds,
        remainingSeconds,
        totalSeconds: elapsedSeconds + remainingSeconds,
      };
      const said = latest?.totalSeconds;
      if (said !== undefined && (stepsLeft === 0 || Math.abs(estimate.totalSeconds - said) <= reviseBeyond * said))
        return;
      first ??= estimate;
      latest = estimate;
      const end = new Date(Date.now() + remainingSeconds * 1000);
      log(
        `${said === undefined ? 'estimated' : 'revised estimate of the'} time: ${formatDuration(estimate.totalSeconds)} in all, done around ${end.toTimeString().slice(0, 5)} ` +
          `(${stepsLeft} pretraining steps left at ${secondsPerStep.toFixed(2)} s/step, then ${formatDuration(after)} of evaluation; ${formatDuration(elapsedSeconds)} so far)`,
      );
    },
    estimate: () => first,
    latest: () => latest,
  };
}
