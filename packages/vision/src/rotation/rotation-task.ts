import { type Scalar, type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import { rotate90 } from './rotate90.js';

export interface RotationTaskOptions {
  /** Rotations to predict: 4 (0°, 90°, 180°, 270°, as RotNet) or 2 (0°, 180°). */
  rotations: 2 | 4;
}

/**
 * Rotation prediction (RotNet, Gidaris, Singh & Komodakis 2018, arXiv:1803.07728): every image of
 * the batch appears in all its rotations — [N, S, S, C] becomes [R·N, S, S, C], rotation r of
 * image i at row r·N + i with label r — and a linear head classifies the rotation.
 *
 * @example
 * const task = rotationTask();
 * const batch = task.makeBatch(images, { rng, training: true }); // inputs [4N, S, S, C], targets [4N]
 * @throws from makeBatch if images are not square [N, S, S, C].
 */
export function rotationTask(options: Partial<RotationTaskOptions> = {}): PretextTask<RotationTaskOptions, Tensor4D> {
  const rotations = options.rotations ?? 4;
  if (rotations !== 2 && rotations !== 4) throw new Error(`rotationTask: rotations must be 2 or 4, got ${rotations}`);
  const quarterTurns = rotations === 4 ? [0, 1, 2, 3] : [0, 2];
  return {
    id: 'rotation',
    description:
      'Every image in each of its rotations → which rotation it is (RotNet, Gidaris, Singh & Komodakis 2018)',
    modality: 'image',
    options: { rotations },
    head: { kind: 'linear', outputSize: rotations },
    chance: 1 / rotations,
    makeBatch(images: Tensor4D): TaskBatch {
      if (images.rank !== 4 || images.shape[1] !== images.shape[2]) {
        throw new Error(`rotationTask: images must be square [N, S, S, C]; got [${images.shape}]`);
      }
      const count = images.shape[0];
      return tf.tidy(() => ({
        inputs: tf.concat(quarterTurns.map((k) => rotate90(images, k))),
        targets: tf.tensor1d(
          quarterTurns.flatMap((_, label) => new Array<number>(count).fill(label)),
          'int32',
        ),
      }));
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return tf.tidy(
        () => tf.losses.softmaxCrossEntropy(tf.oneHot(batch.targets as tf.Tensor1D, rotations), outputs) as Scalar,
      );
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return {
        rotationAccuracy: tf.tidy(
          () => tf.mean(tf.cast(tf.equal(tf.argMax(outputs, 1), batch.targets), 'float32')) as Scalar,
        ),
      };
    },
  };
}
