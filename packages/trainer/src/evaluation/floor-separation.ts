import type { EvaluationRow } from './evaluate-encoder.js';
import type { ProportionInterval } from './wilson-interval.js';

/** How a row reads in a sentence. */
const ROW_NAMES: Readonly<Record<string, string>> = { 'raw-pixels': 'raw pixels' };

const percent = (value: number) => (100 * value).toFixed(1);
const interval = ({ lower, upper }: ProportionInterval) => `${percent(lower)}–${percent(upper)} %`;

/**
 * Warnings for a test split too small to tell the pretrained encoder from its floors: for each
 * protocol (linear probe, kNN), the floors whose 95 % interval overlaps the `pretrained` row's —
 * neither "above" nor "below" can be read from such a split. Overlapping intervals are a
 * conservative test (two accuracies may differ significantly with slightly overlapping
 * intervals); the warning says what was measured and how to get a decisive split. Empty when every
 * floor is separated, or there is no `pretrained` row.
 *
 * @example
 * floorSeparationWarnings(rows);
 * // ['linear probe: 60 test examples do not separate pretrained (91.7 %, 95 % interval 82.0–96.4 %) from bag-of-words (90.0 %, 79.9–95.3 %): the intervals overlap; hold out more labeled examples']
 */
export function floorSeparationWarnings(rows: readonly EvaluationRow[]): string[] {
  const pretrained = rows.find((row) => row.features === 'pretrained');
  if (pretrained === undefined) return [];
  const floors = rows.filter((row) => row !== pretrained);
  const protocols = [
    ['linear probe', (row: EvaluationRow) => [row.linearProbeAccuracy, row.linearProbeInterval] as const],
    ['kNN', (row: EvaluationRow) => [row.knnAccuracy, row.knnInterval] as const],
  ] as const;
  return protocols.flatMap(([protocol, of]) => {
    const [accuracy, ownInterval] = of(pretrained);
    const overlapping = floors.filter((floor) => {
      const [, floorInterval] = of(floor);
      return floorInterval.lower <= ownInterval.upper && ownInterval.lower <= floorInterval.upper;
    });
    if (overlapping.length === 0) return [];
    const listed = overlapping
      .map((floor) => {
        const [floorAccuracy, floorInterval] = of(floor);
        return `${ROW_NAMES[floor.features] ?? floor.features} (${percent(floorAccuracy)} %, ${interval(floorInterval)})`;
      })
      .join(', ');
    return [
      `${protocol}: ${pretrained.testCount} test examples do not separate pretrained (${percent(accuracy)} %, 95 % interval ${interval(ownInterval)}) from ${listed}: the intervals overlap; hold out more labeled examples`,
    ];
  });
}
