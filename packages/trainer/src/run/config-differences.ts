/** One setting that differs between a run's saved config and the config given to continue it. */
export interface ConfigDifference {
  /** Dotted path of the setting (`training.epochs`, `method.options.temperature`). */
  path: string;
  saved: unknown;
  given: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function under(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}.`));
}

/**
 * The settings where `given` differs from `saved` (compared as JSON: a missing key and `undefined`
 * agree), leaving out the paths under `mayDiffer` (e.g. `training.maxSteps`, `backend`).
 *
 * @example configDifferences({ training: { epochs: 10 } }, { training: { epochs: 20 } });
 * // → [{ path: 'training.epochs', saved: 10, given: 20 }]
 */
export function configDifferences(
  saved: unknown,
  given: unknown,
  mayDiffer: readonly string[] = [],
  path = '',
): ConfigDifference[] {
  if (path !== '' && under(path, mayDiffer)) return [];
  if (isPlainObject(saved) && isPlainObject(given)) {
    const keys = [...new Set([...Object.keys(saved), ...Object.keys(given)])].sort();
    return keys.flatMap((key) =>
      configDifferences(saved[key], given[key], mayDiffer, path === '' ? key : `${path}.${key}`),
    );
  }
  const normal = (value: unknown) => JSON.stringify(value === undefined ? null : value);
  return normal(saved) === normal(given) ? [] : [{ path: path === '' ? '(config)' : path, saved, given }];
}
