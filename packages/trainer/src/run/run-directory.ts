import { listDirectory, makeDirectory, pathKind, readTextFile } from '#run-storage';
import {
  describeRejected,
  latestCheckpoint,
  latestGoodCheckpoint,
  type RejectedCheckpoint,
  removeStaleCheckpointFiles,
} from '../checkpoint.js';
import { ExperimentError } from './experiment-error.js';
import { keepMetricsUpTo } from './metrics-log.js';
import { type RunLock, takeRunLock } from './run-lock.js';
import { type RunPaths, runPaths } from './run-paths.js';
import { type RunRecord, readRunRecord, writeJsonAtomically } from './run-record.js';

/** How {@link openRunDirectory} opens a run directory. */
export interface OpenRunOptions {
  /** Continue the run from its newest complete checkpoint (it must have one). */
  resume: boolean;
  /** Only check that the directory could be used: take no lock, write nothing. */
  dryRun?: boolean;
  /** How the user continues a run (said when a new run would land on an existing one), e.g. `selfsup resume runs/a`. */
  resumeHint?: string;
  log?: (line: string) => void;
}

/** A run directory opened for one process: locked, checked, its metrics log made exact. */
export interface OpenRun {
  paths: RunPaths;
  /** Undefined for a dry run. */
  lock: RunLock | undefined;
  /** The checkpoint a resume continues from: the newest complete one whose files verify. */
  checkpoint: string | undefined;
  /** Newer complete checkpoints a resume passed over because they are corrupt, newest first. */
  rejectedCheckpoints: RejectedCheckpoint[];
  /** Its step (0 when starting). */
  checkpointStep: number;
  /** The record of the run so far (undefined for a new run). */
  record: RunRecord | undefined;
  /** The config the run was started with (`config.json`), when it has one. */
  savedConfig: unknown;
  /** A run that died before its first checkpoint, started again from nothing. */
  restarted: boolean;
}

/** Whether `dir` looks like a selfsup run: a run record or a checkpoints folder. */
async function isRunDirectory(paths: RunPaths): Promise<boolean> {
  return (await pathKind(paths.run)) !== undefined || (await pathKind(paths.checkpoints)) !== undefined;
}

async function entriesOf(dir: string): Promise<string[]> {
  return (await listDirectory(dir)).filter((name) => name !== 'run.lock');
}

async function exists(path: string): Promise<boolean> {
  return (await pathKind(path)) !== undefined;
}

function stepOf(checkpoint: string): number {
  return Number(/step-(\d+)$/.exec(checkpoint)?.[1] ?? 0);
}

/** Refuses what a new (or resumed) run must not touch; says what a run there would do. */
async function inspect(
  paths: RunPaths,
  options: OpenRunOptions,
): Promise<{ checkpoint: string | undefined; restarted: boolean }> {
  const { dir } = paths;
  const kind = await pathKind(dir);
  if (kind === 'file') {
    throw new ExperimentError('run', `${dir} is a file, not a directory; choose another output directory`);
  }
  const found = kind !== undefined;
  const entries = found ? await entriesOf(dir) : [];
  const run = found && (await isRunDirectory(paths));
  if (found && entries.length > 0 && !run) {
    const shown = entries.slice(0, 5).join(', ');
    throw new ExperimentError(
      'run',
      `${dir} is not empty and holds no selfsup run (${shown}${entries.length > 5 ? `, … ${entries.length} entries` : ''}); a run never writes into a folder of other files — choose a new or empty output directory`,
    );
  }
  const checkpoint = run ? await latestCheckpoint(paths.checkpoints) : undefined;
  if (options.resume) {
    if (!run) {
      throw new ExperimentError(
        'run',
        `${dir} ${found ? 'holds no run' : 'does not exist'}, so there is nothing to resume; start a new run there instead`,
      );
    }
    if (checkpoint === undefined) {
      throw new ExperimentError(
        'run',
        `${dir} has no complete checkpoint to resume (the run stopped before its first one); start it again`,
      );
    }
    return { checkpoint, restarted: false };
  }
  const finished = run && (await exists(paths.result));
  if (run && (checkpoint !== undefined || finished)) {
    if (finished) {
      throw new ExperimentError(
        'run',
        `${dir} already holds a finished run (${paths.result}); choose another output directory`,
      );
    }
    throw new ExperimentError(
      'run',
      `${dir} already holds a run (checkpoint ${checkpoint}); ${options.resumeHint === undefined ? 'resume it' : `continue it with ${options.resumeHint}`}, or choose another output directory`,
    );
  }
  return { checkpoint: undefined, restarted: run };
}

/** A resume's checkpoint: the newest good one ({@link latestGoodCheckpoint}). */
async function goodCheckpoint(
  paths: RunPaths,
  log: (line: string) => void,
  setAside: boolean,
): Promise<{ checkpoint: string; rejected: RejectedCheckpoint[] }> {
  const { checkpoint, rejected } = await latestGoodCheckpoint(paths.checkpoints, { log, setAside });
  if (checkpoint === undefined) {
    throw new ExperimentError(
      'run',
      `${paths.dir} cannot be resumed: ${describeRejected(paths.checkpoints, rejected)}; start the run again in a new directory`,
    );
  }
  return { checkpoint, rejected };
}

/**
 * Opens the run directory `dir` for a new run or a resume:
 * - a new run needs a missing or empty directory, or a run that died before its first checkpoint
 *   (it starts again from nothing); a directory with a checkpoint or a finished run is refused, as
 *   is a non-empty directory that is not a run (never written into);
 * - a resume needs a run with a complete checkpoint; it continues from the newest one whose files
 *   verify (checksums, no NaN), passing over corrupt newer ones with a log line each and moving
 *   them aside (`checkpoints/corrupt-step-…`, a dry run moves nothing);
 * - leftovers of an interrupted checkpoint write (staging folders) are removed;
 * - the directory is locked for this process ({@link acquireRunLock}; in a browser a Web Lock): a
 *   second run on it stops;
 * - the metrics log keeps exactly the steps up to the checkpoint the run continues from (none
 *   for a new run), so it is exact after any crash, restart or resume.
 *
 * @throws ExperimentError (`run`) naming the directory and what is wrong with it — for a resume
 *   whose complete checkpoints are all corrupt, each one tried and what is wrong with it.
 */
export async function openRunDirectory(dir: string, options: OpenRunOptions): Promise<OpenRun> {
  const paths = runPaths(dir);
  const log = options.log ?? (() => {});
  const first = await inspect(paths, options);
  if (options.dryRun) {
    const good = first.checkpoint === undefined ? undefined : await goodCheckpoint(paths, log, false);
    return {
      paths,
      lock: undefined,
      checkpoint: good?.checkpoint,
      rejectedCheckpoints: good?.rejected ?? [],
      checkpointStep: good === undefined ? 0 : stepOf(good.checkpoint),
      record: await readRunRecord(paths.run),
      savedConfig: undefined,
      restarted: first.restarted,
    };
  }
  await makeDirectory(dir);
  const lock = await takeRunLock(dir);
  try {
    // Again under the lock: another process may have written between the first look and the lock.
    const inspected = await inspect(paths, options);
    const { restarted } = inspected;
    const removed = await removeStaleCheckpointFiles(paths.checkpoints);
    if (removed.length > 0) {
      log(
        `${paths.checkpoints}: removed what an interrupted checkpoint write left (${removed.slice(0, 4).join(', ')}${removed.length > 4 ? `, … ${removed.length} in all` : ''})`,
      );
    }
    const good = inspected.checkpoint === undefined ? undefined : await goodCheckpoint(paths, log, true);
    const checkpoint = good?.checkpoint;
    const step = checkpoint === undefined ? 0 : stepOf(checkpoint);
    const record = checkpoint === undefined ? undefined : await readRunRecord(paths.run);
    if (restarted) options.log?.(`${dir}: the run there stopped before its first checkpoint; starting it again`);
    await keepMetricsUpTo(paths.metrics, step);
    if (checkpoint === undefined) {
      // Marks the directory as a run before anything else is written into it.
      const fresh: RunRecord = {
        format: 'selfsup-run',
        started: new Date().toISOString(),
        resumed: [],
        state: 'preparing',
      };
      await writeJsonAtomically(paths.run, fresh);
    }
    let savedConfig: unknown;
    if (checkpoint !== undefined && (await exists(paths.config))) {
      savedConfig = JSON.parse(await readTextFile(paths.config));
    }
    return {
      paths,
      lock,
      checkpoint,
      rejectedCheckpoints: good?.rejected ?? [],
      checkpointStep: step,
      record,
      savedConfig,
      restarted,
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
