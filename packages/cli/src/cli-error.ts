import { EXIT_CODES, type ExitReason } from './exit-codes.js';

/**
 * An error the CLI reports to the user and turns into an exit code: the message says what is
 * wrong with which input; `issues` lists every problem when there are several (config validation).
 *
 * @example throw new CliError('data', `data.path: ${path} does not exist`);
 */
export class CliError extends Error {
  readonly reason: ExitReason;
  readonly issues: readonly string[];

  constructor(reason: ExitReason, message: string, options: { issues?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.reason = reason;
    this.issues = options.issues ?? [];
  }

  /** The process exit code for this error. */
  get exitCode(): number {
    return EXIT_CODES[this.reason];
  }
}

/**
 * What `work` resolves to; when it rejects, the error as a CliError of `reason` with the same
 * message (a library's error about a user's input, e.g. `readLabeledTrainTest`'s, as exit code 4).
 *
 * @example const sets = await asCliError('data', readLabeledTrainTest(source, { size, channels }));
 */
export async function asCliError<T>(reason: ExitReason, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new CliError(reason, (error as Error).message, { cause: error });
  }
}
