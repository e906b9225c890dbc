// Test helpers (not built): listRuns/removeRun checked the same way in Node (a runs folder) and in
// Chromium (the page's IndexedDB).
import { tf } from '@selfsup/backend';
import { createLinearClassifier, saveModule } from '@selfsup/models';
import { expect } from 'vitest';
import { saveCheckpoint } from '../checkpoint.js';
import { runPaths } from './run-paths.js';
import { writeJsonAtomically } from './run-record.js';
import { listRuns, removeRun } from './stored-runs.js';

/** A run record started at `started`, in `state`. */
const record = (started: string, state: string, title: string) => ({
  format: 'selfsup-run',
  started,
  resumed: [],
  state,
  title,
  objective: { kind: 'method', id: 'simclr' },
});

/** Writes a run's record, a checkpoint at `step` (when given) and an encoder. */
async function makeRun(dir: string, started: string, state: string, step: number | undefined): Promise<void> {
  const paths = runPaths(dir);
  await writeJsonAtomically(paths.run, record(started, state, dir));
  const head = createLinearClassifier({ inputSize: 64, classes: 10, seed: 1 });
  try {
    if (step !== undefined) {
      const slots = { 'head/kernel/m': tf.zeros([64, 10]) };
      await saveCheckpoint(paths.checkpoints, {
        modules: { head },
        optimizer: { iterations: step, slots },
        objectiveState: {},
        trainer: { step, epoch: 0, stepInEpoch: step, history: [], trainingSeconds: 1 },
        config: {},
      });
      tf.dispose(slots);
    }
    await saveModule(head, paths.encoder);
  } finally {
    head.dispose();
  }
}

/**
 * Under `root`: a finished run and a stopped one are listed (newest start first) with state, step
 * and size; a folder without run.json is not; removing one leaves the other whole; removing a
 * non-run or a locked run is refused.
 */
export async function expectListsAndRemovesRuns(
  root: string,
  options: { holdLock(dir: string): Promise<{ release(): void }> },
): Promise<void> {
  expect(await listRuns(root)).toEqual([]);
  const [older, newer] = [`${root}/older`, `${root}/newer`];
  await makeRun(older, '2026-12-01T10:00:00.000Z', 'finished', 12);
  await makeRun(newer, '2026-12-02T10:00:00.000Z', 'training', 5);
  await writeJsonAtomically(`${root}/not-a-run/notes.json`, { hello: 1 });

  const runs = await listRuns(root);
  expect(runs.map(({ bytes, ...run }) => run)).toEqual([
    {
      dir: newer,
      name: 'newer',
      state: 'training',
      title: newer,
      objective: 'method simclr',
      started: '2026-12-02T10:00:00.000Z',
      step: 5,
    },
    {
      dir: older,
      name: 'older',
      state: 'finished',
      title: older,
      objective: 'method simclr',
      started: '2026-12-01T10:00:00.000Z',
      step: 12,
    },
  ]);
  // The checkpoint's weights and slots and the encoder's weights, 4 bytes per float, at least.
  for (const run of runs) expect(run.bytes).toBeGreaterThan(4 * (64 * 10 + 10 + 64 * 10 + 64 * 10));

  const lock = await options.holdLock(newer);
  await expect(removeRun(newer)).rejects.toThrow(/newer is in use by another run/);
  lock.release();
  expect((await listRuns(root)).map((run) => run.name)).toEqual(['newer', 'older']);

  await removeRun(older);
  const left = await listRuns(root);
  expect(left.map((run) => run.name)).toEqual(['newer']);
  expect(left[0]?.bytes).toBe(runs[0]?.bytes);
  await expect(removeRun(`${root}/not-a-run`)).rejects.toThrow(
    `removeRun: ${root}/not-a-run is not a selfsup run (it has no run.json); nothing was removed`,
  );
  await expect(removeRun(older)).rejects.toThrow(/older is not a selfsup run/);
  await removeRun(newer);
  expect(await listRuns(root)).toEqual([]);
}
