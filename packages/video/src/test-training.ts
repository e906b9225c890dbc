import { createRng, type Scalar, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { createSmallCnn, type Encoder, type Head } from '@selfsup/models';
import type { PretextTask, TaskBatch, TaskOwnedHead } from '@selfsup/pretext';

/** A small frame encoder for tests: 2 conv blocks on 32×32 gray frames. */
export function smallFrameEncoder(seed = 0): Encoder {
  return createSmallCnn({ inputShape: [32, 32, 1], widths: [16, 32], strides: [2, 2], seed });
}

/**
 * Trains a frame encoder and the task's own head for `steps` Adam steps (a fresh seeded task
 * batch per step, as `@selfsup/trainer`'s `taskObjective` does — the trainer depends on this
 * package, so it cannot be used here), and returns the loss on one fixed batch before and after,
 * in training mode.
 */
export function lossBeforeAndAfter(
  task: PretextTask<object, Tensor>,
  encoder: Encoder,
  sequences: Tensor,
  options: { steps: number; learningRate: number; seed?: number },
): { before: number; after: number } {
  if (task.head.kind !== 'custom') throw new Error('video tasks build their own head');
  const head: TaskOwnedHead = task.head.create(encoder, 1);
  const forward = (batch: TaskBatch) => {
    const mode = { training: true };
    return (head as unknown as Head).apply(encoder.apply(batch.inputs, mode) as Tensor2D, mode);
  };
  const variables = [...encoder.trainableVariables, ...head.trainableVariables];
  const optimizer = tf.train.adam(options.learningRate);
  const rng = createRng(options.seed ?? 0);
  // At least 32 examples per batch (each sequence sampled several times): batch norm needs a few.
  const repeats = Math.ceil(32 / (sequences.shape[0] as number));
  const samples = repeats > 1 ? tf.tile(sequences, [repeats, 1, 1, 1, 1]) : sequences;
  const evaluation = task.makeBatch(samples, { rng: rng.fork('evaluation'), training: true });
  const lossOn = (batch: TaskBatch) => tf.tidy(() => task.loss(forward(batch), batch).dataSync()[0] as number);
  try {
    const before = lossOn(evaluation);
    for (let step = 0; step < options.steps; step++) {
      const batch = task.makeBatch(samples, { rng: rng.fork(`step-${step}`), training: true });
      try {
        optimizer.minimize(() => task.loss(forward(batch), batch) as Scalar, false, variables);
      } finally {
        tf.dispose(batch as unknown as tf.TensorContainer);
      }
    }
    return { before, after: lossOn(evaluation) };
  } finally {
    tf.dispose(evaluation as unknown as tf.TensorContainer);
    if (samples !== sequences) samples.dispose();
    optimizer.dispose();
    head.dispose();
  }
}
