import { type Tensor2D, tf } from '@selfsup/backend';
import type { MetricValues } from '@selfsup/pretext';
import type { ColorizationBatch, ColorizationTask } from './colorization-task.js';

/** The index of the ab bin centred on grey (a = b = 0). */
function greyBin(task: ColorizationTask): number {
  const { centers, count } = task.bins;
  for (let bin = 0; bin < count; bin++) if (centers[2 * bin] === 0 && centers[2 * bin + 1] === 0) return bin;
  throw new Error('colorizationGreyFloor: the ab bins have no grey bin');
}

/**
 * The colorization task's own metrics (`abError`, and in classification mode `abBinAccuracy`) of
 * predicting grey — a = b = 0 — at every output pixel: the floor a colorization model must beat,
 * scored on the same batch, as the task's `metrics` gives them (one-value tensors: read them with
 * `readScalars`, which disposes them). In classification mode the outputs are logits peaked on the grey bin,
 * whose annealed mean decodes to grey; in regression mode, zeros.
 *
 * Shapes: the batch of N images has targetAb [N, h, w, 2]; the grey outputs are [N, h·w·K].
 *
 * @example
 * const batch = task.makeBatch(heldOut, { rng, training: false });
 * await readScalars(colorizationGreyFloor(task, batch)); // { abError: 49.1, abBinAccuracy: 0.026 }
 * @throws if the bins have no grey bin.
 */
export function colorizationGreyFloor(task: ColorizationTask, batch: ColorizationBatch): MetricValues {
  const [count, height, width] = batch.targetAb.shape;
  const grey = tf.tidy(() =>
    task.options.mode === 'regression'
      ? (tf.zeros([count, height * width * 2]) as Tensor2D)
      : (tf.reshape(tf.mul(tf.oneHot(tf.fill([count * height * width], greyBin(task), 'int32'), task.bins.count), 50), [
          count,
          -1,
        ]) as Tensor2D),
  );
  try {
    return task.metrics?.(grey, batch) ?? {};
  } finally {
    grey.dispose();
  }
}
