/** A validation problem as zod (or a registry check) reports it. */
export interface ConfigIssue {
  code?: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  expected?: string;
  values?: readonly unknown[];
  options?: readonly unknown[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  format?: string;
  keys?: readonly string[];
}

/** `data.size[0]`, `augmentations.pipeline[2].op`; `(config)` for the root. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text === '' ? '(config)' : text;
}

/** NaN and ±Infinity as YAML spells them (JSON has no spelling for them: it writes `null`). */
function nonFiniteText(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  return value > 0 ? '.inf' : '-.inf';
}

const NON_FINITE_MARK = '\u0000';

/** A value as a user wrote it, shortened: `'jigsw'`, `-1`, `[32]`, `.nan`, `missing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}…` : value}'`;
  if (typeof value === 'number' && !Number.isFinite(value)) return nonFiniteText(value);
  let text: string;
  try {
    // Non-finite numbers inside a list or mapping keep their spelling too (`[32, .nan]`, not `[32, null]`).
    const marked = JSON.stringify(value, (_key, item) =>
      typeof item === 'number' && !Number.isFinite(item) ? `${NON_FINITE_MARK}${nonFiniteText(item)}` : item,
    );
    text = marked === undefined ? String(value) : marked.replace(/"\\u0000([^"]*)"/g, '$1');
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The value at `path` inside `input` (undefined when the path does not exist). */
export function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = input;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

const TYPE_NAMES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object (a mapping of fields)',
  array: 'a list',
  tuple: 'a list',
  record: 'an object (a mapping of fields)',
};

function bound(issue: ConfigIssue, below: boolean): string {
  const limit = below ? issue.minimum : issue.maximum;
  const op = below ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
  if (issue.origin === 'array' || issue.origin === 'set') return `${below ? 'at least' : 'at most'} ${limit} item(s)`;
  if (issue.origin === 'string') return `${below ? 'at least' : 'at most'} ${limit} character(s)`;
  return `${op} ${limit}`;
}

/**
 * One line per problem: the field path, what was given, and what is allowed —
 * `schedule.kind: 'cosin' is not allowed; allowed: warmup-cosine, constant, step`.
 *
 * @param input the config as given, to quote the offending value.
 */
export function formatIssue(issue: ConfigIssue, input: unknown): string {
  const path = formatPath(issue.path);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected ?? ''] ?? issue.expected ?? 'another type';
      if (value === undefined) return `${path}: missing; expected ${expected}`;
      if (typeof value === 'number' && !Number.isFinite(value)) {
        // YAML reads `.nan`, `.inf` and numbers past ±1.8e308 (`1e999`) as these; no option takes one.
        const overflow = Number.isNaN(value) ? '' : ' (a number beyond ±1.8e308, such as 1e999, is infinite)';
        return `${path}: ${describeValue(value)} is not a finite number${overflow}`;
      }
      return `${path}: ${describeValue(value)} is not ${expected}`;
    }
    case 'invalid_value':
      return `${path}: ${describeValue(value)} is not allowed; allowed: ${(issue.values ?? []).map(String).join(', ')}`;
    case 'invalid_union':
      if (issue.options !== undefined && issue.options.length > 0) {
        return `${path}: ${describeValue(value)} is not allowed; allowed: ${issue.options.map(String).join(', ')}`;
      }
      return `${path}: ${describeValue(value)} matches none of the allowed forms (${issue.message})`;
    case 'too_small':
      if (issue.origin === 'array') {
        return `${path}: ${describeValue(value)} has ${Array.isArray(value) ? value.length : '?'} item(s); needs ${bound(issue, true)}`;
      }
      return `${path}: ${describeValue(value)} is too small; allowed: ${bound(issue, true)}`;
    case 'too_big':
      if (issue.origin === 'array') {
        return `${path}: ${describeValue(value)} has ${Array.isArray(value) ? value.length : '?'} item(s); allowed: ${bound(issue, false)}`;
      }
      return `${path}: ${describeValue(value)} is too big; allowed: ${bound(issue, false)}`;
    case 'invalid_format':
      return `${path}: ${describeValue(value)} is not a valid ${issue.format ?? 'value'}`;
    case 'unrecognized_keys':
      // The message of `section()` already names the fields and the allowed ones.
      return `${path}: ${issue.message}`;
    default:
      return `${path}: ${issue.message}`;
  }
}
