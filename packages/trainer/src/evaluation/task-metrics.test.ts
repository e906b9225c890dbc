import {
  assertNoTensorLeak,
  createRng,
  initBackend,
  readScalars,
  type Tensor,
  type Tensor4D,
  tf,
} from '@selfsup/backend';
import type { Dataset } from '@selfsup/data';
import { createSmallCnn } from '@selfsup/models';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
import { rotationTask } from '@selfsup/vision';
import { beforeAll, describe, expect, it } from 'vitest';
import { taskObjective } from '../task-objective.js';
import { evaluateTaskMetrics } from './task-metrics.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** Batches of samples [n] per epoch, each sample the value given (tensors made as they are taken). */
function batchesOf(epochs: number[][][]): Dataset<Tensor> & { iterated: number[] } {
  const iterated: number[] = [];
  return {
    size: epochs[0]?.length,
    iterated,
    async *iterate(epoch: number) {
      iterated.push(epoch);
      for (const values of epochs[epoch % epochs.length] ?? []) yield tf.tensor1d(values);
    },
  };
}

/** A task whose target is the sample itself; it records each context it was given. */
function echoTask(contexts: Array<{ training: boolean; draw: number }>): PretextTask<object, Tensor> {
  return {
    id: 'echo',
    modality: 'image',
    options: {},
    head: { kind: 'none' },
    makeBatch(samples: Tensor, context: TaskContext): TaskBatch {
      contexts.push({ training: context.training, draw: context.rng.uniform(0, 1) });
      return { inputs: tf.clone(samples), targets: tf.clone(samples) };
    },
    loss: () => tf.scalar(0),
  };
}

/** The mean target of a batch, as an objective's metric. */
const meanTarget = {
  metrics: (batch: TaskBatch) => ({ meanTarget: tf.tidy(() => tf.mean(batch.targets).dataSync()[0] as number) }),
};

describe('evaluateTaskMetrics', () => {
  it('weights each batch by its samples, makes batches in evaluation mode from the seed, and disposes them', async () => {
    const contexts: Array<{ training: boolean; draw: number }> = [];
    const data = batchesOf([
      [
        [1, 1, 1, 1],
        [0, 0],
      ],
    ]);
    const metrics = await assertNoTensorLeak('evaluateTaskMetrics', () =>
      evaluateTaskMetrics(echoTask(contexts), meanTarget, data, { seed: 3 }),
    );
    // 4 ones and 2 zeros: 4/6, not the mean of the batch means (0.5).
    expect(metrics.meanTarget).toBeCloseTo(4 / 6, 6);
    expect(data.iterated).toEqual([0]);
    expect(contexts.map((c) => c.training)).toEqual([false, false]);
    const draws = [0, 1].map((b) => createRng(3).fork(`task-metrics-${b}`).uniform(0, 1));
    expect(contexts.map((c) => c.draw)).toEqual(draws);
  });

  it('takes `batches` batches, going on into the next epochs when one epoch holds fewer', async () => {
    const data = batchesOf([[[1, 1]], [[0, 0]], [[1, 1]]]);
    const metrics = await evaluateTaskMetrics(echoTask([]), meanTarget, data, { batches: 3, seed: 0 });
    expect(data.iterated).toEqual([0, 1, 2]);
    expect(metrics.meanTarget).toBeCloseTo(2 / 3, 6);
    const first = batchesOf([
      [
        [1, 1],
        [0, 0],
        [0, 0],
      ],
    ]);
    expect(await evaluateTaskMetrics(echoTask([]), meanTarget, first, { batches: 1, seed: 0 })).toEqual({
      meanTarget: 1,
    });
  });

  it('scores a trained objective: rotation accuracy of a CNN on held-out images, as its own metrics say', async () => {
    const task = rotationTask();
    const encoder = createSmallCnn({ inputShape: [8, 8, 1], widths: [4, 4, 4, 4], seed: 0 });
    const objective = taskObjective(task, encoder, { seed: 1 });
    const images = tf.randomUniform([6, 8, 8, 1], 0, 1, 'float32', 5) as Tensor4D;
    const data: Dataset<Tensor> = {
      size: 1,
      iterate: async function* () {
        yield tf.clone(images);
      },
    };
    const metrics = await assertNoTensorLeak('evaluateTaskMetrics', () =>
      evaluateTaskMetrics(task, objective, data, { seed: 0 }),
    );
    const batch = task.makeBatch(images, { rng: createRng(0).fork('task-metrics-0'), training: false });
    expect(metrics).toEqual(await readScalars(objective.metrics?.(batch) ?? {}));
    expect(metrics.rotationAccuracy).toBeGreaterThanOrEqual(0);
    expect(metrics.rotationAccuracy).toBeLessThanOrEqual(1);
    tf.dispose([images, batch as unknown as tf.TensorContainer]);
    objective.dispose();
    encoder.dispose();
  });

  it('refuses an objective without metrics and data without batches', async () => {
    await expect(evaluateTaskMetrics(echoTask([]), {}, batchesOf([[]]), { seed: 0 })).rejects.toThrow(
      "evaluateTaskMetrics: task 'echo' declares no metrics",
    );
    await expect(evaluateTaskMetrics(echoTask([]), meanTarget, batchesOf([[]]), { seed: 0 })).rejects.toThrow(
      'evaluateTaskMetrics: the data yields no batch (epoch 0)',
    );
  });
});
