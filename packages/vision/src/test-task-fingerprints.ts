// Test support (not shipped): what every vision task computes from fixed, seeded inputs — its
// batch, the loss of a seeded encoder + head, and the loss after one Adam step — reduced to a few
// numbers. The Node test and the browser test compare them with one committed fixture, so both
// platforms are pinned to the same results.
import { createRng, type Scalar, type Tensor4D, tf } from '@selfsup/backend';
import { headForTask } from '@selfsup/models';
import type { PretextTask } from '@selfsup/pretext';
import { encoderForTask, forwardOf } from './test-training.js';
import { visionTasks } from './vision-tasks.js';

/** What one task computes, reduced to sums (float32 read back). */
export interface TaskFingerprint {
  inputsShape: number[];
  inputsSum: number;
  targetsSum: number;
  loss: number;
  lossAfterStep: number;
}

/** Seeded smooth images in [0, 1]: [8, 32, 32, 3] (a sum of seeded sinusoids per image and channel). */
function seededImages(): Tensor4D {
  const rng = createRng(7);
  const [count, size, channels] = [8, 32, 3];
  const values = new Float32Array(count * size * size * channels);
  for (let image = 0; image < count; image++) {
    for (let channel = 0; channel < channels; channel++) {
      const [fx, fy, phase] = [rng.uniform(0.1, 0.6), rng.uniform(0.1, 0.6), rng.uniform(0, 6.28)];
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          values[((image * size + y) * size + x) * channels + channel] = 0.5 + 0.5 * Math.sin(fx * x + fy * y + phase);
        }
      }
    }
  }
  return tf.tensor4d(values, [count, size, size, channels]);
}

/** Each vision task's fingerprint (all, or those named) on the current backend; leaves no tensor behind. */
export async function visionTaskFingerprints(only?: readonly string[]): Promise<Record<string, TaskFingerprint>> {
  const images = seededImages();
  const fingerprints: Record<string, TaskFingerprint> = {};
  try {
    for (const [id, factory] of Object.entries(visionTasks)) {
      if (only !== undefined && !only.includes(id)) continue;
      const task = (factory as () => PretextTask<object, Tensor4D>)();
      const encoder = encoderForTask(task, [32, 32, 3], 3);
      const head = headForTask(task, encoder, 4);
      const forward = forwardOf(task, encoder, head);
      const batch = task.makeBatch(images, { rng: createRng(11), training: true });
      const optimizer = tf.train.adam(1e-3);
      try {
        const lossOf = () => task.loss(forward(batch, true), batch) as Scalar;
        const sums = tf.tidy(() => [batch.inputs.sum(), batch.targets.sum(), lossOf()]);
        const [inputsSum, targetsSum, loss] = await Promise.all(sums.map(async (s) => (await s.data())[0] as number));
        tf.dispose(sums);
        const variables = [...encoder.trainableVariables, ...(head?.trainableVariables ?? [])];
        optimizer.minimize(lossOf, true, variables)?.dispose();
        const after = tf.tidy(lossOf);
        const lossAfterStep = (await after.data())[0] as number;
        after.dispose();
        fingerprints[id] = {
          inputsShape: batch.inputs.shape,
          inputsSum: inputsSum as number,
          targetsSum: targetsSum as number,
          loss: loss as number,
          lossAfterStep,
        };
      } finally {
        optimizer.dispose();
        tf.dispose(batch as unknown as tf.TensorContainer);
        head?.dispose();
        encoder.dispose();
      }
    }
  } finally {
    images.dispose();
  }
  return fingerprints;
}

/** Relative difference, scaled by max(1, |expected|). */
export function fingerprintError(actual: TaskFingerprint, expected: TaskFingerprint): number {
  const fields = ['inputsSum', 'targetsSum', 'loss', 'lossAfterStep'] as const;
  return Math.max(...fields.map((f) => Math.abs(actual[f] - expected[f]) / Math.max(1, Math.abs(expected[f]))));
}
