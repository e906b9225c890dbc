/**
 * What went wrong with a run, by kind, so a face (the CLI, an app) can turn it into its own exit
 * code: `run` (the run directory: in use, not a run, nothing to resume, flags that disagree with
 * the run), `data` (the data changed since the run started, or cannot be used), `config` (a setting
 * cannot be honoured, e.g. an unavailable backend), `failed` (training failed: a diverged loss, an
 * unwritable file).
 */
export type ExperimentErrorReason = 'run' | 'data' | 'config' | 'failed';

/** An error of {@link runExperiment} whose message names the input and what is wrong. */
export class ExperimentError extends Error {
  readonly reason: ExperimentErrorReason;

  constructor(reason: ExperimentErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ExperimentError';
    this.reason = reason;
  }
}
