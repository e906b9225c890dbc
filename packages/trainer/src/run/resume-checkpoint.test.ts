import { mkdtempSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { createLinearClassifier } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../checkpoint.js';
import { checkResumeCheckpoint } from './resume-checkpoint.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** A checkpoint root holding the steps given, of a 4 → 3 linear head. */
async function checkpoints(steps: number[]): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'selfsup-resume-checkpoint-'));
  for (const step of steps) {
    const head = createLinearClassifier({ inputSize: 4, classes: 3, seed: step });
    const slots = { 'head/kernel/m': tf.fill([4, 3], step) };
    await saveCheckpoint(root, {
      modules: { head },
      optimizer: { iterations: step, slots },
      trainer: { step, epoch: 0, stepInEpoch: step, history: [], trainingSeconds: 1 },
      config: {},
    });
    tf.dispose(slots);
    head.dispose();
  }
  return root;
}

describe('checkResumeCheckpoint', () => {
  it('loads a sound checkpoint into the modules, leaving no tensor behind', async () => {
    const root = await checkpoints([4]);
    const head = createLinearClassifier({ inputSize: 4, classes: 3, seed: 9 });
    await assertNoTensorLeak('checkResumeCheckpoint', () =>
      checkResumeCheckpoint(join(root, 'step-000000004'), { head }),
    );
    const saved = createLinearClassifier({ inputSize: 4, classes: 3, seed: 4 });
    expect(head.trainableVariables[0]?.dataSync()).toEqual(saved.trainableVariables[0]?.dataSync());
    head.dispose();
    saved.dispose();
  });

  it('stops on a damaged one, naming it, the damage and the checkpoint before it', async () => {
    const root = await checkpoints([4, 8]);
    const newest = join(root, 'step-000000008');
    truncateSync(join(newest, 'modules', 'head', 'weights.bin'), 8);
    const head = createLinearClassifier({ inputSize: 4, classes: 3 });
    const failure = checkResumeCheckpoint(newest, { head });
    await expect(failure).rejects.toMatchObject({ reason: 'run' });
    await expect(failure).rejects.toThrow(
      `the checkpoint ${newest} cannot be resumed (modules/head/weights.bin is 8 bytes, 60 when saved (truncated))`,
    );
    await expect(failure).rejects.toThrow(
      `move it away to resume from the one before, ${join(root, 'step-000000004')}`,
    );
    const only = join(await checkpoints([4]), 'step-000000004');
    truncateSync(join(only, 'optimizer.bin'), 4);
    await expect(checkResumeCheckpoint(only, { head })).rejects.toThrow(
      'there is no earlier complete checkpoint: start the run again in a new directory',
    );
    head.dispose();
  });
});
