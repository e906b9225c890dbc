/** Figures by dotted name, as a prepared experiment's `measure()` returns them (`result.measures`). */
export type ExperimentMeasures = Record<string, number | string | null>;

/**
 * Flattens figures nested by topic into the dotted names `result.measures` holds:
 * `{ heldOut: { rotationAccuracy: 0.9 }, pretextChance: 0.25 }` →
 * `{ 'heldOut.rotationAccuracy': 0.9, pretextChance: 0.25 }`. Numbers, strings and null are kept,
 * nested objects (e.g. a `FineTuneComparison`) are walked, undefined is left out — so an optional
 * figure can be written as `colour: undefended && (await …)`. Arrays are kept whole, as JSON.
 *
 * @example
 * measure: async () => flattenMeasures({ heldOut: await evaluateTaskMetrics(task, objective, heldOut, { seed: 0 }), pretextChance: task.chance })
 * @throws on a boolean, function or other value that is not a figure, naming its path.
 */
export function flattenMeasures(figures: object, prefix = ''): ExperimentMeasures {
  const flat: ExperimentMeasures = {};
  for (const [name, value] of Object.entries(figures)) {
    const path = `${prefix}${name}`;
    if (value === undefined) continue;
    if (value === null || typeof value === 'number' || typeof value === 'string') flat[path] = value;
    else if (Array.isArray(value)) flat[path] = JSON.stringify(value);
    else if (typeof value === 'object') Object.assign(flat, flattenMeasures(value, `${path}.`));
    else throw new Error(`flattenMeasures: ${path} is a ${typeof value}, not a figure (number, string, null)`);
  }
  return flat;
}
