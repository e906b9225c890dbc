import { pathKind, readTextFile, writeTextFileAtomically } from '#run-storage';

/**
 * Keeps the lines of a metrics log (`metrics.jsonl`, one JSON object with a `step` per line) whose
 * step is at most `step`, atomically: a run that died after its last checkpoint logged steps that
 * the resumed run trains and logs again, and a line cut short by the crash is dropped. Step 0
 * empties the log (a run started again from nothing). A missing log stays missing.
 *
 * @example await keepMetricsUpTo('runs/simclr/metrics.jsonl', 400);
 */
export async function keepMetricsUpTo(path: string, step: number): Promise<void> {
  if ((await pathKind(path)) === undefined) return;
  const kept = (await readTextFile(path)).split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      const logged = (JSON.parse(line) as { step?: unknown }).step;
      return typeof logged === 'number' && logged <= step;
    } catch {
      return false;
    }
  });
  await writeTextFileAtomically(path, kept.length === 0 ? '' : `${kept.join('\n')}\n`);
}
