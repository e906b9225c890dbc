import { createRng, readScalars, type Tensor, tf } from '@selfsup/backend';
import type { Dataset } from '@selfsup/data';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import type { TrainingObjective } from '../training-objective.js';

/** Options of {@link evaluateTaskMetrics}. */
export interface TaskMetricsOptions {
  /**
   * Batches to average over (default: one epoch of `data`). More than an epoch holds continues
   * with the next epochs: another shuffle, and other frames, tiles or rotations drawn.
   */
  batches?: number;
  /** Seeds the task's draws, one stream per batch: the same seed scores the same examples. */
  seed: number | string;
}

/**
 * A pretext task's own metrics (`task.metrics`: order accuracy, rotation accuracy, …) of a trained
 * objective on data it did not train on — held-out videos or images — in evaluation mode: batches
 * made with `training: false` from a fixed seed, outputs without dropout or batch-statistics
 * updates. Each metric is the mean over `batches` batches, weighted by the batch's samples.
 *
 * Shapes: `data` yields the task's raw samples with N on axis 0 (images `[N, H, W, C]`, frame
 * sequences `[N, T, H, W, C]`); the objective is `taskObjective(task, encoder)` (its `metrics`
 * scores `head(encoder(inputs))`). The batches are disposed here.
 *
 * @example
 * const objective = taskObjective(task, encoder);
 * // … pretrain on the training videos, then:
 * const heldOut = sequenceBatches(testSequences, { batchSize: 32, seed: 0, dropRemainder: false });
 * const { orderAccuracy } = await evaluateTaskMetrics(task, objective, heldOut, { batches: 10, seed: 0 });
 * @throws if the objective has no metrics (its task declares none), or `data` yields no batch.
 */
export async function evaluateTaskMetrics(
  task: PretextTask<object, Tensor>,
  objective: Pick<TrainingObjective<TaskBatch>, 'metrics'>,
  data: Dataset<Tensor>,
  options: TaskMetricsOptions,
): Promise<Record<string, number>> {
  const metrics = objective.metrics;
  if (metrics === undefined) throw new Error(`evaluateTaskMetrics: task '${task.id}' declares no metrics`);
  const wanted = options.batches ?? Number.POSITIVE_INFINITY;
  const sums: Record<string, number> = {};
  let samplesSeen = 0;
  let batches = 0;
  for (let epoch = 0; batches < wanted && (epoch === 0 || options.batches !== undefined); epoch++) {
    const before = batches;
    for await (const samples of data.iterate(epoch)) {
      const rng = createRng(options.seed).fork(`task-metrics-${batches}`);
      const batch = task.makeBatch(samples, { rng, training: false });
      try {
        const count = samples.shape[0] as number;
        // One asynchronous readback of the batch's metrics (WebGPU has no synchronous one).
        const values = await readScalars(metrics(batch));
        for (const [name, value] of Object.entries(values)) sums[name] = (sums[name] ?? 0) + value * count;
        samplesSeen += count;
      } finally {
        tf.dispose([samples, batch as unknown as tf.TensorContainer]);
      }
      if (++batches >= wanted) break;
    }
    if (batches === before) throw new Error(`evaluateTaskMetrics: the data yields no batch (epoch ${epoch})`);
  }
  return Object.fromEntries(Object.entries(sums).map(([name, sum]) => [name, sum / samplesSeen]));
}
