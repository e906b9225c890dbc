import { tf } from '@selfsup/backend';
import type { Module } from '@selfsup/models';
import { baseName as basename, parentPath as dirname, joinPath as join } from '#path';
import { CheckpointCorruptError, listCheckpoints, loadCheckpoint } from '../checkpoint.js';
import { ExperimentError } from './experiment-error.js';

/**
 * Checks that the checkpoint a resume continues from loads into `modules` (weights, optimizer
 * slots, objective state), before anything else of the run happens — the floors, the first step —
 * so a damaged file stops the resume at once, saying which checkpoint to fall back to. A
 * checkpoint a crash left half-written has no `complete` marker and is never the one resumed; this
 * is for one damaged after it was complete (a truncated or edited file, caught by its checksums)
 * or made by another architecture. `runExperiment` has already passed over corrupt newer ones
 * (`latestGoodCheckpoint`), so the load's notice for a checkpoint without checksums goes to
 * `options.log` only when given.
 *
 * @param checkpoint the checkpoint to resume (`<run>/checkpoints/step-000000400`).
 * @example
 * await checkResumeCheckpoint(run.checkpoint, prepared.objective.modules);
 * @throws ExperimentError('run') naming the checkpoint, what is wrong with it, and the complete
 *   checkpoint before it (or that there is none).
 */
export async function checkResumeCheckpoint(
  checkpoint: string,
  modules: Record<string, Module>,
  options: { log?: (line: string) => void } = {},
): Promise<void> {
  let saved: Awaited<ReturnType<typeof loadCheckpoint>>;
  try {
    saved = await loadCheckpoint(checkpoint, modules, { log: options.log ?? false });
  } catch (error) {
    const root = dirname(checkpoint);
    const complete = await listCheckpoints(root);
    const before = complete[complete.indexOf(basename(checkpoint)) - 1];
    const problem = error instanceof CheckpointCorruptError ? error.problem : (error as Error).message;
    throw new ExperimentError(
      'run',
      `the checkpoint ${checkpoint} cannot be resumed (${problem}); ${
        before === undefined
          ? 'there is no earlier complete checkpoint: start the run again in a new directory'
          : `move it away to resume from the one before, ${join(root, before)}`
      }`,
      { cause: error },
    );
  }
  tf.dispose([...Object.values(saved.optimizer.slots), ...Object.values(saved.objectiveState)]);
}
