/** Edit distance between two words (Levenshtein). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

/**
 * ` (did you mean 'epochs'?)` when a known word is close to `given`, else ''.
 *
 * @example didYouMean('epohcs', ['epochs', 'seed']); // " (did you mean 'epochs'?)"
 */
export function didYouMean(given: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const word of known) {
    const d = distance(given.toLowerCase(), word.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [word, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(given.length / 3))
    ? ` (did you mean '${best}'?)`
    : '';
}

/**
 * The message for fields an options object does not have.
 *
 * @example unknownFieldsMessage(['temprature'], ['temperature']);
 * // "unknown field 'temprature' (did you mean 'temperature'?); allowed: temperature"
 */
export function unknownFieldsMessage(keys: readonly string[], allowed: readonly string[]): string {
  const names = keys.map((key) => `'${key}'${didYouMean(key, allowed)}`).join(', ');
  return `unknown field${keys.length > 1 ? 's' : ''} ${names}; allowed: ${allowed.join(', ')}`;
}
