import { BACKEND_REQUESTS, type BackendRequest } from '@selfsup/backend/requests';
import type { Experiment, ExperimentResult } from '@selfsup/trainer';
import { CliError } from '../cli-error.js';
import { printEvaluation } from '../commands/print-summary.js';
import { gracefulStop } from '../commands/training-signals.js';
import { EXIT_CODES } from '../exit-codes.js';
import { createOutput, type OutputStreams } from '../output.js';
import { type AppFlags, type AppFlagValues, appUsage, parseAppFlags } from './app-flags.js';

/** The flags every app has: where the run goes, resuming it, the backend, a short run, quiet. */
export const STANDARD_APP_FLAGS = {
  out: {
    type: 'string',
    description: 'run directory: checkpoints, metrics.jsonl, encoder, report.html, result.json',
    placeholder: 'dir',
  },
  resume: { type: 'boolean', description: 'continue the run in --out from its newest checkpoint' },
  backend: {
    type: 'string',
    choices: BACKEND_REQUESTS,
    description: 'tfjs backend (default: SELFSUP_BACKEND, else auto)',
  },
  'wasm-threads': { type: 'integer', min: 1, description: 'threads of the wasm backend (default 1)' },
  'max-steps': {
    type: 'integer',
    min: 1,
    description: 'stop pretraining after n steps in all (for quick looks and tests)',
  },
  quiet: { type: 'boolean', description: 'no progress lines' },
} as const satisfies AppFlags;

/** The values of an app's own flags and the standard ones. */
export type AppValues<F extends AppFlags> = AppFlagValues<F & typeof STANDARD_APP_FLAGS>;

/** What the app hands to `runExperiment`; the app face fills in the directory, resume and backend. */
export type AppExperiment = Omit<Experiment, 'dir' | 'resume' | 'backend'>;

/** An app: its name, what it does, its flags as data, and the experiment its flags describe. */
export interface AppSpec<F extends AppFlags> {
  /** The command's name in messages and usage (`selfsup-simclr`). */
  name: string;
  /** A paragraph for `--help`. */
  summary: string;
  flags: F;
  /** The run directory when `--out` is not given. */
  defaultOut(values: AppValues<F>): string;
  experiment(values: AppValues<F>): AppExperiment | Promise<AppExperiment>;
  /** Lines for people after the evaluation table (stdout). */
  describe?(result: ExperimentResult): string[];
}

/**
 * Runs an app as a command: parses its flags (declared as data, plus {@link STANDARD_APP_FLAGS}),
 * prints usage on `--help`, runs the experiment they describe through the trainer's
 * `runExperiment` — Ctrl-C stops after a step with a checkpoint — then prints the evaluation table,
 * the report's path and, last, the result as one JSON line. Returns the exit code: 0, 2 for a bad
 * command line, the CLI's codes for a run, data or config problem, 1 for a failed run, 130 when
 * interrupted.
 *
 * @example
 * process.exitCode = await runApp({ name: 'my-app', summary: '…', flags: {}, defaultOut: () => 'runs/my-app',
 *   experiment: () => ({ title, objective, config, training, prepare }) });
 */
export async function runApp<F extends AppFlags>(
  spec: AppSpec<F>,
  argv: readonly string[] = process.argv.slice(2),
  streams: OutputStreams = process,
): Promise<number> {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const flags = { ...spec.flags, ...STANDARD_APP_FLAGS } as F & typeof STANDARD_APP_FLAGS;
  const usage = appUsage(spec.name, spec.summary, flags);
  let values: AppValues<F> | 'help';
  try {
    values = parseAppFlags(flags, args);
  } catch (error) {
    streams.stderr.write(`${spec.name}: ${(error as Error).message}\n\n${usage}`);
    return EXIT_CODES.usage;
  }
  if (values === 'help') {
    streams.stdout.write(usage);
    return EXIT_CODES.ok;
  }
  const output = createOutput(streams, { json: false, quiet: false });
  const stop = gracefulStop(output.error);
  try {
    // tfjs loads once the command line is valid.
    const { ExperimentError, runExperiment } = await import('@selfsup/trainer');
    const experiment = await spec.experiment(values);
    // Inside this generic function TypeScript cannot narrow the merged flags: read the standard ones by their own type.
    const standard = values as unknown as AppFlagValues<typeof STANDARD_APP_FLAGS>;
    const maxSteps = standard['max-steps'];
    const backend = standard.backend as BackendRequest | undefined;
    const wasmThreads = standard['wasm-threads'];
    try {
      const result = await runExperiment(
        {
          ...experiment,
          dir: standard.out ?? spec.defaultOut(values),
          resume: standard.resume,
          backend: {
            ...(backend === undefined ? {} : { backend }),
            ...(wasmThreads === undefined ? {} : { wasmThreads }),
          },
          training: { ...experiment.training, ...(maxSteps === undefined ? {} : { maxSteps }) },
          resumeHint: `${spec.name} --resume${standard.out === undefined ? '' : ` --out ${standard.out}`}`,
        },
        {
          log: output.error,
          quiet: standard.quiet,
          signal: stop.signal,
          resultLine: (line) => {
            // People's lines first; the JSON line is the last on stdout.
            const finished = JSON.parse(line) as ExperimentResult;
            printEvaluation(output, finished.evaluation);
            for (const text of spec.describe?.(finished) ?? []) output.print(text);
            output.print(`report: ${finished.reportPath}`);
            streams.stdout.write(`${line}\n`);
          },
        },
      );
      if (result.interrupted) {
        output.print(`interrupted at step ${result.steps}; continue with: ${spec.name} --resume --out ${result.out}`);
        return EXIT_CODES.interrupted;
      }
      return EXIT_CODES.ok;
    } catch (error) {
      if (error instanceof ExperimentError) throw new CliError(error.reason, error.message, { cause: error });
      throw error;
    }
  } catch (error) {
    const reason = error instanceof CliError ? error.reason : 'failed';
    output.error(`${spec.name}: ${(error as Error)?.message ?? String(error)}`);
    return EXIT_CODES[reason];
  } finally {
    stop.release();
  }
}

/** What {@link captureApp} saw of an app's run. */
export interface CapturedApp {
  /** The exit code {@link runApp} returned. */
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed: the run's result (a run that stops before it has none: check `code` first). */
  result: ExperimentResult;
}

/**
 * Runs an app in this process, its output collected instead of written: what an app's tests
 * drive it with.
 *
 * @example
 * const { code, result } = await captureApp(MY_APP, ['--max-steps', '2', '--out', dir]);
 */
export async function captureApp<F extends AppFlags>(spec: AppSpec<F>, argv: readonly string[]): Promise<CapturedApp> {
  let stdout = '';
  let stderr = '';
  const code = await runApp(spec, argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return { code, stdout, stderr, result: (last.startsWith('{') ? JSON.parse(last) : undefined) as ExperimentResult };
}
