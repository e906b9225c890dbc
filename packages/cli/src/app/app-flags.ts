import { parseArgs } from 'node:util';
import { didYouMean } from '@selfsup/pretext';
import { CliError } from '../cli-error.js';

/** One flag of an app, declared as data: its kind, meaning, default and allowed values. */
export interface AppFlag {
  type: 'string' | 'number' | 'integer' | 'boolean';
  /** One line: what the flag sets. */
  description: string;
  /** The value when the flag is absent (none: undefined). */
  default?: string | number | boolean;
  /** The only values a string flag takes. */
  choices?: readonly string[];
  /** The smallest value a number flag takes. */
  min?: number;
  /** The largest value a number flag takes. */
  max?: number;
  /** The value's name in the usage text (`<dir>`); default from the type. */
  placeholder?: string;
}

/** An app's flags by name (kebab-case, as typed: `batch-size`). */
export type AppFlags = Record<string, AppFlag>;

type FlagValue<F extends AppFlag> = F['type'] extends 'boolean'
  ? boolean
  : F['type'] extends 'string'
    ? F extends { choices: readonly (infer C)[] }
      ? C
      : string
    : number;

/** The parsed values of an app's flags: defaulted flags always have one, others may be undefined. */
export type AppFlagValues<F extends AppFlags> = {
  -readonly [K in keyof F]: F[K] extends { default: unknown }
    ? FlagValue<F[K]>
    : F[K]['type'] extends 'boolean'
      ? boolean
      : FlagValue<F[K]> | undefined;
};

function parseValue(name: string, flag: AppFlag, text: string): string | number {
  if (flag.type === 'string') {
    if (flag.choices !== undefined && !flag.choices.includes(text)) {
      throw new CliError(
        'usage',
        `--${name}: expected ${flag.choices.join(' | ')}, got '${text}'${didYouMean(text, flag.choices)}`,
      );
    }
    return text;
  }
  const number = Number(text);
  const integer = flag.type === 'integer';
  const { min, max } = flag;
  const range =
    min !== undefined && max !== undefined
      ? ` in [${min}, ${max}]`
      : min !== undefined
        ? ` ≥ ${min}`
        : max !== undefined
          ? ` ≤ ${max}`
          : '';
  if (
    text.trim() === '' ||
    !Number.isFinite(number) ||
    (integer && !Number.isInteger(number)) ||
    (min !== undefined && number < min) ||
    (max !== undefined && number > max)
  ) {
    throw new CliError('usage', `--${name}: expected ${integer ? 'an integer' : 'a number'}${range}, got '${text}'`);
  }
  return number;
}

/**
 * Parses `argv` against flags declared as data; `--help` gives `'help'`.
 * @throws CliError('usage') naming the flag for an unknown flag, a missing value, a value of the
 *   wrong kind or outside `choices`.
 */
export function parseAppFlags<F extends AppFlags>(flags: F, argv: readonly string[]): AppFlagValues<F> | 'help' {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [name, flag] of Object.entries(flags))
    options[name] = { type: flag.type === 'boolean' ? 'boolean' : 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true });
    values = parsed.values as Record<string, string | boolean | undefined>;
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(--?[^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const hint = didYouMean(unknown.replace(/^-+/, ''), Object.keys(flags)).replace(/'([^']+)'/, "'--$1'");
      throw new CliError('usage', `unknown flag ${unknown}${hint}`);
    }
    throw new CliError('usage', message.split('. ')[0] as string);
  }
  if (values.help === true) return 'help';
  const result: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(flags)) {
    const given = values[name];
    if (given === undefined) result[name] = flag.type === 'boolean' ? (flag.default ?? false) : flag.default;
    else result[name] = typeof given === 'boolean' ? given : parseValue(name, flag, given);
  }
  return result as AppFlagValues<F>;
}

/** The usage text of an app: its summary, then one line per flag with its values and default. */
export function appUsage(name: string, summary: string, flags: AppFlags): string {
  const rows = Object.entries(flags).map(([flagName, flag]) => {
    const placeholder =
      flag.type === 'boolean' ? '' : ` <${flag.placeholder ?? (flag.type === 'string' ? 'value' : 'n')}>`;
    const values = flag.choices === undefined ? '' : ` (${flag.choices.join(' | ')})`;
    const fallback = flag.default === undefined || flag.type === 'boolean' ? '' : ` [default ${flag.default}]`;
    return [`--${flagName}${placeholder}`, `${flag.description}${values}${fallback}`] as const;
  });
  rows.push(['--help', 'this text']);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return `Usage: ${name} [options]\n\n${summary}\n\n${rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n')}\n`;
}
