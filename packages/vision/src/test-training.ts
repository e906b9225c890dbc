import {
  assertNoTensorLeak,
  createRng,
  type Scalar,
  type Tensor,
  type Tensor2D,
  type Tensor4D,
  tf,
} from '@selfsup/backend';
import { createSmallCnn, createVitTiny, type Encoder, type Head, headForTask } from '@selfsup/models';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import { expect } from 'vitest';

/**
 * A small encoder for what the task says its encoder sees (`encoderInput`) of `[h, w, c]` images:
 * a 2-layer CNN, or a 1-block ViT when the task wants patches (MAE).
 */
export function encoderForTask(
  task: PretextTask<object, Tensor4D>,
  imageShape: [number, number, number],
  seed = 0,
): Encoder {
  const input = task.encoderInput?.(imageShape) ?? { shape: imageShape, pixels: true };
  const [height, width, channels] = input.shape as [number, number, number];
  return input.patchSize === undefined
    ? createSmallCnn({ inputShape: [height, width, channels], widths: [8, 16], strides: [2, 2], seed })
    : createVitTiny({
        inputShape: [height, width, channels],
        patchSize: input.patchSize,
        dim: 16,
        depth: 1,
        heads: 2,
        seed,
      });
}

/**
 * Checks that a task makes the same batch (inputs and targets) for one seed and another for
 * another seed, and that makeBatch and its head's forward pass leak nothing. Returns the batch of
 * seed 9, the head and its training-mode outputs on that batch; the caller disposes batch, head
 * and encoder.
 */
export async function expectSeededLeakFree(
  task: PretextTask<object, Tensor4D>,
  images: Tensor4D,
  encoder: Encoder,
): Promise<{ batch: TaskBatch; head: Head | undefined; outputs: Tensor }> {
  const batchFor = (seed: number) => task.makeBatch(images, { rng: createRng(seed), training: true });
  const batch = batchFor(9);
  const same = batchFor(9);
  const other = batchFor(10);
  expect(Array.from(batch.inputs.dataSync())).toEqual(Array.from(same.inputs.dataSync()));
  expect(Array.from(batch.targets.dataSync())).toEqual(Array.from(same.targets.dataSync()));
  expect(Array.from(batch.inputs.dataSync())).not.toEqual(Array.from(other.inputs.dataSync()));
  tf.dispose([same, other] as unknown as tf.TensorContainer);
  await assertNoTensorLeak(`${task.id} makeBatch`, () => batchFor(0));
  const head = headForTask(task, encoder, 1);
  const outputs = await assertNoTensorLeak(`${task.id} head`, () =>
    tf.tidy(() => head?.apply(encoder.apply(batch.inputs, { training: true }), { training: true }) as Tensor),
  );
  return { batch, head, outputs };
}

/** The trainer's forward pass for a task: its own `forward`, or head(encoder(inputs)). */
export function forwardOf(task: PretextTask<object, Tensor4D>, encoder: Encoder, head: Head | undefined) {
  return (batch: TaskBatch, training: boolean): Tensor => {
    const mode = { training };
    if (task.forward !== undefined) return task.forward(encoder, head, batch, mode);
    const features = encoder.apply(batch.inputs, mode);
    return head === undefined ? features : head.apply(features as Tensor2D, mode);
  };
}

/**
 * Trains encoder and head on a task for `steps` Adam steps over the given images (a fresh task
 * batch per step, seeded), and returns the task loss on one fixed batch before and after — in
 * training mode, so batch-norm statistics play no part in the comparison.
 */
export function lossBeforeAndAfter(
  task: PretextTask<object, Tensor4D>,
  encoder: Encoder,
  images: Tensor4D,
  options: { steps: number; learningRate: number; seed?: number },
): { before: number; after: number; head: Head | undefined } {
  const head = headForTask(task, encoder, 1);
  const forward = forwardOf(task, encoder, head);
  const variables = [...encoder.trainableVariables, ...(head?.trainableVariables ?? [])];
  const optimizer = tf.train.adam(options.learningRate);
  const rng = createRng(options.seed ?? 0);
  const evaluationBatch = task.makeBatch(images, { rng: rng.fork('evaluation'), training: true });
  const lossOn = (batch: TaskBatch) => tf.tidy(() => task.loss(forward(batch, true), batch).dataSync()[0] as number);
  try {
    const before = lossOn(evaluationBatch);
    for (let step = 0; step < options.steps; step++) {
      const batch = task.makeBatch(images, { rng: rng.fork(`step-${step}`), training: true });
      try {
        const cost = optimizer.minimize(() => task.loss(forward(batch, true), batch) as Scalar, true, variables);
        cost?.dispose();
      } finally {
        tf.dispose(batch as unknown as tf.TensorContainer);
      }
    }
    return { before, after: lossOn(evaluationBatch), head };
  } finally {
    tf.dispose(evaluationBatch as unknown as tf.TensorContainer);
    optimizer.dispose();
  }
}
