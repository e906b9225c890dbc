import { latestCheckpoint, listCheckpoints, setCheckpointAside, verifyCheckpoint } from '#checkpoint-store';
import { baseName, joinPath } from '#path';
import {
  type CheckpointContents,
  CheckpointCorruptError,
  type CheckpointManifest,
  type CheckpointVerification,
  type LoadedCheckpoint,
  type StepRecord,
  type TrainerState,
  uncheckedNotice,
} from './checkpoint-format.js';

// In Node checkpoints are directories; in a browser records in IndexedDB (`#checkpoint-store`).
export {
  latestCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  removeStaleCheckpointFiles,
  saveCheckpoint,
  setCheckpointAside,
  verifyCheckpoint,
} from '#checkpoint-store';
export type {
  CheckpointContents,
  CheckpointManifest,
  CheckpointVerification,
  LoadedCheckpoint,
  StepRecord,
  TrainerState,
};
export { CheckpointCorruptError };

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

/** A checkpoint {@link latestGoodCheckpoint} passed over, and why. */
export interface RejectedCheckpoint {
  checkpoint: string;
  /** What is wrong with it (`optimizer.bin is 20 bytes, 60 when saved (truncated)`). */
  problem: string;
  /** Where it was moved out of the way (`setAside`), when it was. */
  setAsideAs?: string;
}

/** What {@link latestGoodCheckpoint} found. */
export interface GoodCheckpoint {
  /** The newest complete checkpoint that verifies; undefined when there is none. */
  checkpoint: string | undefined;
  /** Newer complete checkpoints that did not verify, newest first. */
  rejected: RejectedCheckpoint[];
}

/**
 * The newest complete checkpoint under `root` whose files verify ({@link verifyCheckpoint}):
 * `latest` first, then the complete ones before it, newest first. Each one passed over is logged
 * with what is wrong and the one tried next, so a corrupt newest checkpoint costs the steps since
 * the one before, never a silently wrong resume. A checkpoint saved before checksums existed is
 * taken with a one-line notice. With `setAside` (a resume that will write checkpoints: it holds
 * the run), the ones passed over are moved out of the way once a good one is found
 * ({@link setCheckpointAside}: `corrupt-step-…`, kept for inspection), so they are never resumed,
 * kept or pruned in place of good ones.
 *
 * @example
 * const { checkpoint, rejected } = await latestGoodCheckpoint('runs/a/checkpoints', { log: console.error });
 * if (checkpoint === undefined && rejected.length > 0) throw new Error(describeRejected('runs/a/checkpoints', rejected));
 */
export async function latestGoodCheckpoint(
  root: string,
  options: { log?: (line: string) => void; setAside?: boolean } = {},
): Promise<GoodCheckpoint> {
  const log = options.log ?? ((line: string) => console.warn(line));
  const latest = await latestCheckpoint(root);
  const others = (await listCheckpoints(root))
    .filter((name) => latest === undefined || name !== baseName(latest))
    .reverse()
    .map((name) => joinPath(root, name));
  const candidates = latest === undefined ? others : [latest, ...others];
  const rejected: RejectedCheckpoint[] = [];
  for (const [i, checkpoint] of candidates.entries()) {
    try {
      const verified = await verifyCheckpoint(checkpoint);
      if (!verified.checksums) log(uncheckedNotice(checkpoint));
      if (options.setAside) {
        for (const entry of rejected) {
          entry.setAsideAs = await setCheckpointAside(entry.checkpoint);
          log(`moved the corrupt checkpoint ${entry.checkpoint} aside to ${entry.setAsideAs}`);
        }
      }
      return { checkpoint, rejected };
    } catch (error) {
      const problem = error instanceof CheckpointCorruptError ? error.problem : (error as Error).message;
      rejected.push({ checkpoint, problem });
      const next = candidates[i + 1];
      log(
        `warning: checkpoint ${checkpoint} is corrupt: ${problem}; ${next === undefined ? 'no earlier complete checkpoint is left' : `falling back to the previous complete checkpoint, ${next}`}`,
      );
    }
  }
  return { checkpoint: undefined, rejected };
}

/** Says that no checkpoint under `root` is good, naming each one tried and what is wrong with it. */
export function describeRejected(root: string, rejected: readonly RejectedCheckpoint[]): string {
  return `no good checkpoint under ${root}: ${rejected.map((r) => `${r.checkpoint} (${r.problem})`).join('; ')}`;
}
