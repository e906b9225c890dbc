/**
 * The exit codes of `selfsup`, one per kind of outcome, so scripts can tell a bad config from a
 * missing folder from a diverged run. They are part of the CLI's contract (docs/cli-reference.md).
 */
export const EXIT_CODES = {
  /** The command did what it was asked. */
  ok: 0,
  /** The work failed while running (a diverged loss, an unwritable output, an unexpected error). */
  failed: 1,
  /** The command line is wrong: unknown command or flag, a flag value of the wrong kind. */
  usage: 2,
  /** The config (file and flags together) does not validate; every problem is listed with its field path. */
  config: 3,
  /** The data cannot be used: a missing folder, no readable images, fewer images than one batch, bad labels. */
  data: 4,
  /** A plugin cannot be found, loaded, or registers something invalid. */
  plugin: 5,
  /** A run directory or checkpoint is missing, unreadable, or already holds another run. */
  run: 6,
  /** `eval --check-floors`: the encoder does not beat its random-init and raw-pixel floors. */
  belowFloors: 7,
  /** Interrupted (Ctrl-C / SIGTERM) after writing a checkpoint; `selfsup resume` continues the run. */
  interrupted: 130,
} as const;

/** The name of an outcome (`config`, `data`, …). */
export type ExitReason = keyof typeof EXIT_CODES;

/** One sentence per exit code, for `--help` and the reference. */
export const EXIT_CODE_MEANINGS: Record<ExitReason, string> = {
  ok: 'success',
  failed: 'the work failed while running (diverged loss, unwritable output, unexpected error)',
  usage: 'bad command line: unknown command or flag, or a flag value of the wrong kind',
  config: 'the config does not validate (each problem is listed with its field path, the value and what is allowed)',
  data: 'the data cannot be used: missing folder, no readable images, fewer images than one batch, bad labels',
  plugin: 'a plugin cannot be found or loaded, or registers something invalid',
  run: 'a run directory or checkpoint is missing or unreadable, or --out already holds another run',
  belowFloors: '`eval --check-floors`: the encoder does not beat its random-init or raw-pixel floor',
  interrupted: 'interrupted (Ctrl-C, SIGTERM) after writing a checkpoint; `selfsup resume <run>` continues',
};
