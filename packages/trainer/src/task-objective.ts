import { type Rng, type Scalar, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { type Encoder, type Head, headForTask, type Module } from '@selfsup/models';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import type { StepContext, TrainingObjective } from './training-objective.js';

/**
 * Trains an encoder on a pretext task (rotation, jigsaw, MLM, frame order, …): the task makes
 * (input, target) batches, the head it declares sits on the encoder, the task's loss is minimized.
 *
 * Shapes: `prepare` takes the task's raw samples, N on axis 0 (images `[N, H, W, C]` in [0, 1],
 * token ids `[N, L]` int32, frame sequences `[N, T, H, W, C]`) and returns the task's
 * {@link TaskBatch} (e.g. rotation: inputs `[4N, H, W, C]`, targets `[4N]` int32). The outputs the
 * loss scores are `head(encoder(inputs))`, `[M, outputSize]` for M input rows (the features
 * `[M, encoder.featureSize]` when the task has no head), or the task's own `forward`. `loss` is a
 * scalar `[]`. `viewsPerImage` is M / N of the last batch (4 for rotation).
 *
 * @example
 * const objective = taskObjective(rotationTask(), encoder, { seed: 1 });
 * await pretrain({ objective, data, epochs: 1, optimizer: { kind: 'adam' }, schedule: { kind: 'constant', learningRate: 1e-3 }, seed: 0 });
 */
export function taskObjective(
  task: PretextTask<object, Tensor>,
  encoder: Encoder,
  options: { seed?: number } = {},
): TrainingObjective<TaskBatch> & { head: Head | undefined } {
  const head = headForTask(task, encoder, options.seed ?? 1);
  const forward = (batch: TaskBatch, training: boolean): Tensor => {
    const mode = { training };
    if (task.forward !== undefined) return task.forward(encoder, head, batch, mode);
    const features = encoder.apply(batch.inputs, mode);
    return head === undefined ? features : head.apply(features as Tensor2D, mode);
  };
  let viewsPerImage = 1;
  const modules: Record<string, Module> = { encoder };
  if (head !== undefined) modules.head = head;
  return {
    id: task.id,
    head,
    modules,
    trainableVariables: [...encoder.trainableVariables, ...(head?.trainableVariables ?? [])],
    get viewsPerImage() {
      return viewsPerImage;
    },
    prepare(batch: Tensor, rng: Rng): TaskBatch {
      const made = task.makeBatch(batch, { rng, training: true });
      viewsPerImage = (made.inputs.shape[0] as number) / (batch.shape[0] as number);
      return made;
    },
    loss(prepared: TaskBatch, _context: StepContext): Scalar {
      return tf.tidy(() => task.loss(forward(prepared, true), prepared));
    },
    metrics(prepared: TaskBatch) {
      const metrics = task.metrics;
      if (metrics === undefined) return {};
      return tf.tidy(() => metrics(forward(prepared, false), prepared));
    },
    dispose() {
      head?.dispose();
    },
  };
}
