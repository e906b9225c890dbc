import { latestCheckpoint } from '#checkpoint-store';
import { joinPath } from '#path';
import { listDirectory, pathKind, removeTree, storedBytes } from '#run-storage';
import { takeRunLock } from './run-lock.js';
import { runPaths } from './run-paths.js';
import { type RunRecord, readRunRecord } from './run-record.js';

/** A run kept under a runs folder (Node) or in a page's IndexedDB, as {@link listRuns} finds it. */
export interface StoredRun {
  /** The run directory (`runs/simclr`; in a page, the key prefix `studio/run-…`), what `runExperiment`'s `out` and {@link removeRun} take. */
  dir: string;
  /** Its name under the root. */
  name: string;
  /** From `run.json`: `preparing`, `training` (also a run stopped to resume), `finished`; `unreadable` when `run.json` is not JSON. */
  state: RunRecord['state'] | 'unreadable';
  title?: string;
  /** `method simclr`, `task rotation`. */
  objective?: string;
  /** ISO time the run first started ('' when unknown). */
  started: string;
  /** The step of its newest complete checkpoint (where a resume continues); undefined without one. */
  step: number | undefined;
  /** Bytes stored for it: files, checkpoints and encoders (in a page, approximately). */
  bytes: number;
}

/**
 * The runs under `root`: every directory there with a `run.json` — in Node a runs folder
 * (`runs/`), in a page the runs kept in its IndexedDB under that prefix (`studio`) — with its
 * state, the step of its newest checkpoint and its size, newest start first.
 *
 * @example
 * for (const run of await listRuns('runs')) console.log(run.dir, run.state, run.step, run.bytes);
 */
export async function listRuns(root: string): Promise<StoredRun[]> {
  if ((await pathKind(root)) !== 'directory') return [];
  const runs: StoredRun[] = [];
  for (const name of await listDirectory(root)) {
    const dir = joinPath(root, name);
    const paths = runPaths(dir);
    if ((await pathKind(paths.run)) !== 'file') continue;
    let record: RunRecord | undefined;
    try {
      record = await readRunRecord(paths.run);
    } catch {
      record = undefined;
    }
    const latest = await latestCheckpoint(paths.checkpoints);
    const step = latest === undefined ? undefined : Number(/step-(\d+)$/.exec(latest)?.[1]);
    runs.push({
      dir,
      name,
      state: record?.state ?? 'unreadable',
      ...(record?.title === undefined ? {} : { title: record.title }),
      ...(record?.objective === undefined ? {} : { objective: `${record.objective.kind} ${record.objective.id}` }),
      started: record?.started ?? '',
      step: Number.isFinite(step) ? step : undefined,
      bytes: await storedBytes(dir),
    });
  }
  return runs.sort((a, b) => b.started.localeCompare(a.started) || a.name.localeCompare(b.name));
}

/**
 * Removes the run in `dir` — its files, checkpoints and encoders (in a page, its IndexedDB records
 * and `indexeddb://` modules) — holding its lock meanwhile, so a run in progress is never removed.
 *
 * @example
 * await removeRun('runs/old-simclr');
 * @throws when `dir` holds no run (no `run.json`; nothing is removed), or another process, tab or
 *   worker is running it (its lock is held).
 */
export async function removeRun(dir: string): Promise<void> {
  if ((await pathKind(runPaths(dir).run)) !== 'file') {
    throw new Error(`removeRun: ${dir} is not a selfsup run (it has no run.json); nothing was removed`);
  }
  const lock = await takeRunLock(dir);
  try {
    await removeTree(dir);
  } finally {
    lock.release();
  }
}
