import { createRng, initBackend, tf } from '@selfsup/backend';
import { imageBatch, type LabeledImages, labeledImageBatches } from '@selfsup/data';
import { createSmallCnn, type Encoder, namedVariables } from '@selfsup/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase } from './browser/selfsup-database.js';
import { latestCheckpoint, listCheckpoints, loadCheckpoint } from './checkpoint.js';
import { createSimclr } from './methods/simclr.js';
import { pretrain } from './pretrain.js';
import { squareImages as squares } from './test-square-images.js';
import type { TrainingObjective } from './training-objective.js';

/** The backends a page trains on here: `cpu`, `wasm` (selfsup's training kernels), `webgl` (SwiftShader without a GPU). */
const BACKENDS = ['cpu', 'wasm', 'webgl'] as const;

afterAll(async () => {
  await closeDatabase();
});

/** The trainer README's SimCLR recipe, small: a seeded small CNN, SimCLR, Adam, batches of 16. */
function simclrRun(): { encoder: Encoder; objective: TrainingObjective } {
  const encoder = createSmallCnn({ inputShape: [16, 16, 1], widths: [8, 16], strides: [1, 2], seed: 0 });
  const objective = createSimclr({ encoder, temperature: 0.5, seed: 1 });
  return { encoder, objective };
}

/**
 * The objective's loss on the first 32 images, views drawn with fixed seeds (the mean over three):
 * the same inputs before and after training, so the change is the training's, not the draw's.
 */
function fixedLoss(objective: TrainingObjective, set: LabeledImages): number {
  const { images, labels } = imageBatch(
    set,
    Array.from({ length: 32 }, (_, i) => i),
  );
  let total = 0;
  for (const seed of [11, 12, 13]) {
    const prepared = objective.prepare(images, createRng(seed));
    total += tf.tidy(() => objective.loss(prepared, { step: 0, totalSteps: 1 }).dataSync()[0] as number);
    tf.dispose(prepared as tf.TensorContainer);
  }
  tf.dispose([images, labels]);
  return total / 3;
}

const TRAINING = {
  epochs: 3,
  optimizer: { kind: 'adam' } as const,
  schedule: { kind: 'constant', learningRate: 1e-2 } as const,
  seed: 0,
};

function weightsOf(modules: Record<string, { trainableVariables: tf.Variable[]; stateVariables: tf.Variable[] }>) {
  const all: Record<string, number[]> = {};
  for (const [name, module] of Object.entries(modules)) {
    for (const [parameter, variable] of namedVariables(module as never))
      all[`${name}/${parameter}`] = Array.from(variable.dataSync());
  }
  return all;
}

describe.each(BACKENDS)('pretraining in a browser on %s', (BACKEND) => {
  beforeAll(async () => {
    await initBackend({ backend: BACKEND, log: false });
    expect(tf.getBackend()).toBe(BACKEND);
  });

  it("the README's SimCLR recipe lowers the loss, leaking no tensor", async () => {
    const set = squares();
    const before = tf.memory().numTensors;
    const { encoder, objective } = simclrRun();
    const lossBefore = fixedLoss(objective, set);
    const run = await pretrain({ objective, data: labeledImageBatches(set, { batchSize: 16, seed: 0 }), ...TRAINING });
    expect(run.steps).toBe(12);
    const lossAfter = fixedLoss(objective, set);
    console.log(
      `SimCLR on ${BACKEND}: fixed-batch loss ${lossBefore.toFixed(4)} → ${lossAfter.toFixed(4)}; step losses ${run.history.map((record) => record.loss.toFixed(3)).join(' ')}`,
    );
    expect(lossAfter).toBeLessThan(lossBefore - 0.1);
    objective.dispose();
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes after a page reload from IndexedDB at the same step, with the same optimizer state and losses as an uninterrupted run', async () => {
    const set = squares();
    const stamp = Date.now().toString(36);
    const uninterruptedDir = `runs/uninterrupted-${BACKEND}-${stamp}/checkpoints`;
    const reloadedDir = `runs/reloaded-${BACKEND}-${stamp}/checkpoints`;
    const before = tf.memory().numTensors;

    // The uninterrupted run: 12 steps, a checkpoint at step 5 (and at each epoch's end).
    const full = simclrRun();
    const fullRun = await pretrain({
      objective: full.objective,
      data: labeledImageBatches(set, { batchSize: 16, seed: 0 }),
      ...TRAINING,
      checkpoint: { dir: uninterruptedDir, everySteps: 5, keep: 10 },
    });
    const fullWeights = weightsOf(full.objective.modules);
    full.objective.dispose();
    full.encoder.dispose();
    expect(await listCheckpoints(uninterruptedDir)).toContain('step-000000005');

    // The run the page loses: stopped after step 5, with its checkpoint written.
    const stop = new AbortController();
    const lost = simclrRun();
    const lostRun = await pretrain({
      objective: lost.objective,
      data: labeledImageBatches(set, { batchSize: 16, seed: 0 }),
      ...TRAINING,
      checkpoint: { dir: reloadedDir, everySteps: 5, keep: 2 },
      signal: stop.signal,
      callbacks: [{ onStepEnd: (record) => record.step === 5 && stop.abort() }],
    });
    expect(lostRun.interrupted).toBe(true);
    lost.objective.dispose();
    lost.encoder.dispose();

    // A reload: no object of the run survives, the database connection is closed.
    await closeDatabase();

    const checkpoint = await latestCheckpoint(reloadedDir);
    expect(checkpoint).toBe(`${reloadedDir}/step-000000005`);
    const probe = simclrRun();
    const twin = simclrRun();
    const resumed = await loadCheckpoint(checkpoint as string, probe.objective.modules);
    const reference = await loadCheckpoint(`${uninterruptedDir}/step-000000005`, twin.objective.modules);
    expect(resumed.trainer.step).toBe(5);
    expect(resumed.optimizer.iterations).toBe(reference.optimizer.iterations);
    expect(Object.keys(resumed.optimizer.slots).sort()).toEqual(Object.keys(reference.optimizer.slots).sort());
    for (const [name, slot] of Object.entries(resumed.optimizer.slots)) {
      expect(Array.from(slot.dataSync()), name).toEqual(
        Array.from((reference.optimizer.slots[name] as tf.Tensor).dataSync()),
      );
    }
    expect(weightsOf(probe.objective.modules)).toEqual(weightsOf(twin.objective.modules));
    tf.dispose([resumed.optimizer.slots, resumed.objectiveState, reference.optimizer.slots, reference.objectiveState]);
    for (const run of [probe, twin]) {
      run.objective.dispose();
      run.encoder.dispose();
    }

    const again = simclrRun();
    const againRun = await pretrain({
      objective: again.objective,
      data: labeledImageBatches(set, { batchSize: 16, seed: 0 }),
      ...TRAINING,
      checkpoint: { dir: reloadedDir, everySteps: 5, keep: 2 },
      resume: true,
    });
    expect(againRun.resumedFromStep).toBe(5);
    expect(againRun.steps).toBe(12);
    // The next step's loss, and every one after, as in the uninterrupted run.
    expect(againRun.history.map((record) => record.loss)).toEqual(fullRun.history.map((record) => record.loss));
    expect(weightsOf(again.objective.modules)).toEqual(fullWeights);
    expect(await listCheckpoints(reloadedDir)).toEqual(['step-000000010', 'step-000000012']);
    again.objective.dispose();
    again.encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
