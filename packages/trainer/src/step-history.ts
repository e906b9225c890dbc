import type { StepRecord } from './checkpoint-format.js';

/** Loss-curve points {@link pretrain} keeps by default (in memory and in each checkpoint's `trainer.json`). */
export const DEFAULT_HISTORY_POINTS = 1000;

/**
 * The spacing of the kept points after `step` steps: the smallest power of two at which at most
 * `points` multiples fit in `1..step`.
 */
function strideAfter(step: number, points: number): number {
  let stride = 1;
  while (Math.floor(step / stride) > points) stride *= 2;
  return stride;
}

/**
 * Adds a step's record to a bounded loss curve, in place. The curve keeps every step while there
 * are at most `points` of them, then every 2nd, 4th, … step — always step 1 and the newest step —
 * so it never holds more than `points + 2` records, and what it holds depends only on the steps
 * done: a run resumed from a checkpoint holds the same curve as one never stopped. (The metrics
 * log and `onStepEnd` callbacks see every step.)
 *
 * @param history records in step order, kept by this function (or {@link boundHistory}).
 * @param points the most evenly spaced points kept (≥ 1).
 * @example
 * const history: StepRecord[] = [];
 * for (let step = 1; step <= 5000; step++) appendStepRecord(history, { step, epoch: 1, loss: 1, learningRate: 0.1 }, 1000);
 * history.length; // 626: steps 1, 8, 16, …, 5000
 * @throws Error when `points` is not a positive integer.
 */
export function appendStepRecord(history: StepRecord[], record: StepRecord, points: number): void {
  requirePoints(points);
  const last = history.at(-1);
  const stride = strideAfter(record.step, points);
  const kept = (r: StepRecord) => r.step === 1 || r.step % stride === 0;
  // The newest record is kept whatever its step; once another follows, it stays only on the grid.
  if (last !== undefined && !kept(last)) history.pop();
  history.push(record);
  if (last !== undefined && strideAfter(last.step, points) !== stride) boundHistory(history, record.step, points);
}

/**
 * Thins a loss curve, in place, to what {@link appendStepRecord} keeps after `step` steps (e.g. a
 * checkpoint's full history written before curves were bounded).
 * @throws Error when `points` is not a positive integer.
 */
export function boundHistory(history: StepRecord[], step: number, points: number): void {
  requirePoints(points);
  const stride = strideAfter(step, points);
  let write = 0;
  for (const [index, record] of history.entries()) {
    if (record.step === 1 || record.step % stride === 0 || index === history.length - 1) history[write++] = record;
  }
  history.length = write;
}

function requirePoints(points: number): void {
  if (!Number.isInteger(points) || points < 1) {
    throw new Error(`historyPoints must be a positive integer, got ${points}`);
  }
}
