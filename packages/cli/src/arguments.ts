import { parseArgs } from 'node:util';
import { didYouMean } from '@selfsup/pretext';
import { CliError } from './cli-error.js';
import type { CommandSpec } from './command-specs.js';

/** Parsed flags (by name) and positional arguments of one command. */
export interface ParsedArguments {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses a command's arguments against its spec (plus `--help`).
 * @throws CliError('usage') for an unknown flag, a missing value, or a value given to a switch.
 */
export function parseArguments(spec: CommandSpec, argv: string[]): ParsedArguments {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    help: { type: 'boolean' },
  };
  for (const flag of spec.flags) options[flag.name] = { type: flag.type, ...(flag.multiple ? { multiple: true } : {}) };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArguments['values'], positionals };
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(--?[^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const hint = didYouMean(
        unknown.replace(/^-+/, ''),
        spec.flags.map((f) => f.name),
      ).replace(/'([^']+)'/, "'--$1'");
      throw new CliError('usage', `unknown flag ${unknown}${hint} (see \`selfsup ${spec.name} --help\`)`);
    }
    throw new CliError('usage', `${message.split('. ')[0]} (see \`selfsup ${spec.name} --help\`)`);
  }
}

/** A flag's string value (the last one when repeated). */
export function stringFlag(values: ParsedArguments['values'], name: string): string | undefined {
  const value = values[name];
  if (Array.isArray(value)) return value.at(-1);
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a repeatable flag. */
export function listFlag(values: ParsedArguments['values'], name: string): string[] {
  const value = values[name];
  if (value === undefined || typeof value === 'boolean') return [];
  return Array.isArray(value) ? value : [value];
}

/** An integer flag (≥ `min`). @throws CliError('usage') naming the flag and the value. */
export function integerFlag(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < min) {
    throw new CliError('usage', `--${name}: expected an integer ≥ ${min}, got '${value}'`);
  }
  return number;
}

/** A positive number flag. @throws CliError('usage') naming the flag and the value. */
export function numberFlag(
  name: string,
  value: string | undefined,
  options: { positive?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || (options.positive !== false && number <= 0)) {
    throw new CliError(
      'usage',
      `--${name}: expected a ${options.positive === false ? '' : 'positive '}number, got '${value}'`,
    );
  }
  return number;
}

/** `32` → [32, 32]; `64x48` → [64, 48]. @throws CliError('usage'). */
export function sizeFlag(name: string, value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)(?:[x×,](\d+))?$/.exec(value.trim());
  const height = Number(match?.[1]);
  const width = Number(match?.[2] ?? match?.[1]);
  if (match === null || height < 1 || width < 1) {
    throw new CliError('usage', `--${name}: expected a size like 32 or 64x48, got '${value}'`);
  }
  return [height, width];
}

/** `1` or `3`. @throws CliError('usage'). */
export function channelsFlag(value: string | undefined): 1 | 3 | undefined {
  if (value === undefined) return undefined;
  if (value !== '1' && value !== '3') throw new CliError('usage', `--channels: expected 1 or 3, got '${value}'`);
  return Number(value) as 1 | 3;
}

/** YAML's spellings of NaN and ±Infinity, which a config file may hold: `--set` reads them as YAML does. */
const NON_FINITE: Record<string, number> = {
  '.nan': Number.NaN,
  '.inf': Number.POSITIVE_INFINITY,
  '+.inf': Number.POSITIVE_INFINITY,
  '-.inf': Number.NEGATIVE_INFINITY,
};

/**
 * `a.b[0].c=value` → path and value (JSON when it parses, YAML's `.nan`/`.inf`/`-.inf` as those
 * numbers — so the config check names them as it does in a file — else the text).
 * @throws CliError('usage').
 */
export function assignment(flag: string, text: string): { path: string[]; value: unknown } {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new CliError('usage', `--${flag}: expected <path>=<value>, got '${text}'`);
  const path = text
    .slice(0, equals)
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((part) => part !== '');
  const raw = text.slice(equals + 1);
  let value: unknown = NON_FINITE[raw.toLowerCase()] ?? raw;
  if (typeof value === 'number') return { path, value };
  try {
    value = JSON.parse(raw);
  } catch {
    // plain text
  }
  return { path, value };
}
