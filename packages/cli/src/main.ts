import { parseArguments } from './arguments.js';
import { CliError } from './cli-error.js';
import { COMMANDS, commandSpec } from './command-specs.js';
import { evalCommand } from './commands/eval-command.js';
import { exportCommand } from './commands/export-command.js';
import { listCommand } from './commands/list-command.js';
import { pretrainCommand } from './commands/pretrain-command.js';
import { previewCommand } from './commands/preview-command.js';
import { resumeCommand } from './commands/resume-command.js';
import { didYouMean } from './config/format-issues.js';
import { EXIT_CODES } from './exit-codes.js';
import { commandHelp, generalHelp } from './help-text.js';
import { createOutput, type OutputStreams } from './output.js';
import { cliVersion } from './version.js';

const HANDLERS = {
  pretrain: pretrainCommand,
  resume: resumeCommand,
  eval: evalCommand,
  export: exportCommand,
  preview: previewCommand,
  list: listCommand,
} as const;

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
    return await HANDLERS[spec.name as keyof typeof HANDLERS](args, output);
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
