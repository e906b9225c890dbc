import { latestCheckpoint } from '#checkpoint-store';
import type { CheckpointContents, LoadedCheckpoint, StepRecord, TrainerState } from './checkpoint-format.js';

// In Node checkpoints are directories; in a browser records in IndexedDB (`#checkpoint-store`).
export { latestCheckpoint, listCheckpoints, loadCheckpoint, saveCheckpoint } from '#checkpoint-store';
export type { CheckpointContents, LoadedCheckpoint, StepRecord, TrainerState };

/**
 * The checkpoint a resumed run continues from: the newest complete one under `root`.
 * @throws naming `root` when it holds none — a mistyped run directory, or a run stopped before its
 *   first checkpoint — so that a resume never silently starts a new run.
 */
export async function requireLatestCheckpoint(root: string): Promise<string> {
  const dir = await latestCheckpoint(root);
  if (dir === undefined) {
    throw new Error(`${root} holds no complete checkpoint to resume from; start the run without resuming`);
  }
  return dir;
}
