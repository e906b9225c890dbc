import { EXIT_CODES } from '../exit-codes.js';
import type { Output } from '../output.js';
import type { TrainingRunOptions } from '../run/run-training.js';
import { printTrainingSummary } from './print-summary.js';

/**
 * Turns the first Ctrl-C (SIGINT) or SIGTERM into a graceful stop — the step in progress
 * finishes and a checkpoint is written — and a second one into an immediate exit (130).
 * Returns the signal to pass to `pretrain` and a function that removes the handlers.
 */
export function gracefulStop(log: (line: string) => void): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      log(`${name} again: exiting now (the newest complete checkpoint stays readable)`);
      process.exit(130);
    }
    log(`${name}: stopping after this step and writing a checkpoint (press Ctrl-C again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * `pretrain` and `resume`: runs the training (its log to `output`) until done or stopped by
 * Ctrl-C, then reports its summary (JSON and the lines for people).
 * @returns the exit code: ok, or interrupted when a signal stopped it.
 */
export async function runTrainingCommand(
  output: Output,
  options: Omit<TrainingRunOptions, 'log' | 'signal'>,
): Promise<number> {
  // Training loads tfjs: only from here on.
  const { runTraining } = await import('../run/run-training.js');
  const stop = gracefulStop(output.error);
  try {
    const summary = await runTraining({ ...options, log: output.log, signal: stop.signal });
    output.result(summary);
    printTrainingSummary(output, summary);
    return summary.interrupted ? EXIT_CODES.interrupted : EXIT_CODES.ok;
  } finally {
    stop.release();
  }
}
