import { COMMANDS, type CommandSpec } from './command-specs.js';
import { EXIT_CODE_MEANINGS, EXIT_CODES, type ExitReason } from './exit-codes.js';

/** The exit codes as help lines. */
export function exitCodeLines(): string[] {
  return (Object.keys(EXIT_CODES) as ExitReason[]).map(
    (reason) => `  ${String(EXIT_CODES[reason]).padStart(3)}  ${EXIT_CODE_MEANINGS[reason]}`,
  );
}

/** `selfsup --help`. */
export function generalHelp(version: string): string {
  return [
    `selfsup ${version} — self-supervised pretraining from the command line`,
    '',
    'Usage: selfsup <command> [flags]    (selfsup <command> --help for its flags)',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`),
    '',
    'Examples:',
    '  selfsup pretrain --data ./my-images --method simclr --epochs 20 --out runs/first',
    '  selfsup pretrain --config run.yaml',
    '  selfsup eval --checkpoint runs/first --labels ./labeled-images',
    '  selfsup export runs/first --encoder-only --out encoder/',
    '  selfsup preview --preset simclr --images ./my-images --out grid.png',
    '',
    'Exit codes:',
    ...exitCodeLines(),
    '',
    'Reference: docs/cli-reference.md',
  ].join('\n');
}

/** `selfsup <command> --help`. */
export function commandHelp(command: CommandSpec): string {
  const flags = command.flags.map((flag) => {
    const name = `--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`;
    const extra = [
      flag.multiple ? 'repeatable' : undefined,
      flag.configPath === undefined ? undefined : `sets ${flag.configPath}`,
    ]
      .filter(Boolean)
      .join('; ');
    return `  ${name.padEnd(30)} ${flag.description}${extra === '' ? '' : ` (${extra})`}`;
  });
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    '',
    'Flags:',
    ...flags,
    `  ${'--help'.padEnd(30)} this text`,
  ].join('\n');
}
