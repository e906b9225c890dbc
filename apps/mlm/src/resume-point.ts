import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tf } from '@selfsup/backend';
import type { Module } from '@selfsup/models';
import { latestCheckpoint, listCheckpoints, loadCheckpoint } from '@selfsup/trainer';
import { ForeignRunError, type MlmRunRecord, readRunRecord } from './mlm-run-record.js';

/** The checkpoint a resumed run continues from. */
export interface ResumePoint {
  /** The newest complete checkpoint (`<out>/checkpoints/step-000000400`). */
  dir: string;
  /** Optimizer steps it holds. */
  step: number;
  record: MlmRunRecord;
  /** The complete checkpoint before it, if any (where to go back to when it is damaged). */
  previous: string | undefined;
}

function stepOf(dir: string): number {
  return Number(/step-(\d+)$/.exec(dir)?.[1] ?? Number.NaN);
}

function damaged(dir: string, previous: string | undefined, reason: string): Error {
  return new Error(
    `--resume: the newest checkpoint ${dir} is damaged (${reason}); ` +
      (previous === undefined
        ? 'there is no earlier complete checkpoint: start the run again without --resume'
        : `move it away to resume from the one before, ${previous}`),
  );
}

/**
 * The newest complete checkpoint of the run in `out` and its run record. A checkpoint that a crash
 * left half-written has no `complete` marker and is skipped (the trainer writes it last); one whose
 * record does not read is reported, never passed over in silence.
 *
 * @throws when `out` does not exist or holds no complete checkpoint (naming the directory), when
 *   the newest one's record is unreadable, or when another program wrote it.
 */
export async function findResumePoint(out: string, checkpoints: string): Promise<ResumePoint> {
  if (!existsSync(out)) throw new Error(`--resume: ${out} does not exist, so there is no run to continue`);
  const dir = await latestCheckpoint(checkpoints);
  if (dir === undefined) {
    throw new Error(
      `--resume: ${out} holds no complete checkpoint (looked in ${checkpoints}); start the run without --resume`,
    );
  }
  const complete = await listCheckpoints(checkpoints);
  const index = complete.indexOf(basename(dir));
  const before = index > 0 ? complete[index - 1] : undefined;
  const previous = before === undefined ? undefined : join(checkpoints, before);
  let record: MlmRunRecord;
  try {
    record = await readRunRecord(dir);
  } catch (error) {
    if (error instanceof ForeignRunError) {
      throw new Error(`--resume: ${out} is not a run of selfsup-mlm (${error.message}); give the --out of an MLM run`);
    }
    throw damaged(dir, previous, (error as Error).message);
  }
  return { dir, step: stepOf(dir), record, previous };
}

/**
 * Loads the resume point's weights, optimizer and objective state once into `modules`, so that a
 * damaged file stops the run with the checkpoint named before any training (the trainer then
 * loads it again to continue).
 * @throws naming the checkpoint, what is wrong, and the earlier checkpoint to fall back to.
 */
export async function checkResumePointLoads(point: ResumePoint, modules: Record<string, Module>): Promise<void> {
  let saved: Awaited<ReturnType<typeof loadCheckpoint>>;
  try {
    saved = await loadCheckpoint(point.dir, modules);
  } catch (error) {
    throw damaged(point.dir, point.previous, (error as Error).message);
  }
  tf.dispose([...Object.values(saved.optimizer.slots), ...Object.values(saved.objectiveState)]);
  if (saved.trainer.step !== point.step) {
    throw damaged(point.dir, point.previous, `its trainer.json says step ${saved.trainer.step}`);
  }
}
