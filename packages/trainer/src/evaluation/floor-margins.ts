import type { EvaluationRow } from './evaluate-encoder.js';

/** The pretrained encoder's margin over one floor under one evaluation protocol. */
export interface FloorMargin {
  protocol: 'linear probe' | 'kNN';
  /** The floor's row name: `random-init`, `raw-pixels`, `bag-of-words`, … */
  floor: string;
  /** Pretrained accuracy minus the floor's, in percentage points (negative: under the floor). */
  points: number;
  /** `+2.0 points over raw pixels`, `−1.3 points under random-init`, `level with random-init (±0.0 points)`. */
  text: string;
}

/** How a floor's row name reads in a sentence. */
const FLOOR_NAMES: Readonly<Record<string, string>> = { 'raw-pixels': 'raw pixels' };

/**
 * The margin of the `pretrained` row over every other row (the floors), for the linear probe and
 * for kNN, to one decimal of a percentage point — what an evaluation says in one line. Empty when
 * there is no `pretrained` row.
 *
 * @example
 * floorMargins(rows).map((margin) => `${margin.protocol}: ${margin.text}`);
 * // ['linear probe: +2.0 points over random-init', 'kNN: −1.3 points under random-init', …]
 */
export function floorMargins(rows: readonly EvaluationRow[]): FloorMargin[] {
  const pretrained = rows.find((row) => row.features === 'pretrained');
  if (pretrained === undefined) return [];
  const floors = rows.filter((row) => row !== pretrained);
  const protocols = [
    ['linear probe', (row: EvaluationRow) => row.linearProbeAccuracy],
    ['kNN', (row: EvaluationRow) => row.knnAccuracy],
  ] as const;
  return protocols.flatMap(([protocol, accuracy]) =>
    floors.map((floor) => {
      const points = 100 * (accuracy(pretrained) - accuracy(floor));
      const shown = points.toFixed(1);
      const name = FLOOR_NAMES[floor.features] ?? floor.features;
      const text =
        Number(shown) === 0
          ? `level with ${name} (±0.0 points)`
          : points > 0
            ? `+${shown} points over ${name}`
            : `−${shown.slice(1)} points under ${name}`;
      return { protocol, floor: floor.features, points, text };
    }),
  );
}
