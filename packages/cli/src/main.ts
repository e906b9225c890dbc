import { didYouMean } from '@selfsup/pretext';
import type { ParsedArguments } from './arguments.js';
import { parseArguments } from './arguments.js';
import { CliError } from './cli-error.js';
import { COMMANDS, commandSpec } from './command-specs.js';
import { EXIT_CODES } from './exit-codes.js';
import { commandHelp, generalHelp } from './help-text.js';
import { createOutput, type Output, type OutputStreams } from './output.js';
import { cliVersion } from './version.js';

type Handler = (args: ParsedArguments, output: Output) => Promise<number>;

/**
 * Each command's handler, imported when the command runs: `--help`, `--version`, usage errors
 * and a command's `--help` load none of them, and so no tfjs.
 */
const HANDLERS: Record<string, () => Promise<Handler>> = {
  pretrain: async () => (await import('./commands/pretrain-command.js')).pretrainCommand,
  resume: async () => (await import('./commands/resume-command.js')).resumeCommand,
  eval: async () => (await import('./commands/eval-command.js')).evalCommand,
  export: async () => (await import('./commands/export-command.js')).exportCommand,
  preview: async () => (await import('./commands/preview-command.js')).previewCommand,
  list: async () => (await import('./commands/list-command.js')).listCommand,
};

/**
 * Runs the `selfsup` command line and returns its exit code (see `EXIT_CODES`). Results go to
 * stdout (one JSON document with `--json`), logs and progress to stderr.
 *
 * @example
 * process.exitCode = await runCli(['pretrain', '--data', './images', '--epochs', '1']);
 */
export async function runCli(argv: readonly string[], streams: OutputStreams = process): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  const output = createOutput(streams, { json, quiet: rest.includes('--quiet') });
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    streams.stdout.write(`${generalHelp(cliVersion())}\n`);
    return name === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
  }
  if (name === '--version' || name === '-v') {
    streams.stdout.write(`${cliVersion()}\n`);
    return EXIT_CODES.ok;
  }
  const spec = commandSpec(name);
  try {
    if (spec === undefined) {
      throw new CliError(
        'usage',
        `'${name}' is not a command${didYouMean(
          name,
          COMMANDS.map((c) => c.name),
        )}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`,
      );
    }
    const args = parseArguments(spec, [...rest]);
    if (args.values.help === true) {
      streams.stdout.write(`${commandHelp(spec)}\n`);
      return EXIT_CODES.ok;
    }
    const handler = await (HANDLERS[spec.name] as () => Promise<Handler>)();
    return await handler(args, output);
  } catch (error) {
    const cliError =
      error instanceof CliError
        ? error
        : new CliError('failed', (error as Error)?.message ?? String(error), { cause: error });
    output.error(`selfsup ${name}: ${cliError.message}`);
    if (!(error instanceof CliError) && process.env.SELFSUP_DEBUG) output.error(String((error as Error)?.stack));
    if (json) {
      streams.stdout.write(
        `${JSON.stringify({ error: { reason: cliError.reason, exitCode: cliError.exitCode, message: cliError.message, issues: cliError.issues } }, null, 2)}\n`,
      );
    }
    return cliError.exitCode;
  }
}
