// A pretext task declared outside the task packages and registered the public way — as a plugin —
// the fixture of plugins/fixture-task.test.ts. It declares what a built-in task declares, in one
// file: id, description, modality, head, options with defaults and a TSDoc line per field.
//   selfsup pretrain --plugin ./fixture-task-plugin.ts --task fixture-mirror --data ./my-images
import { type Scalar, type Tensor, type Tensor1D, type Tensor4D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import type { SelfsupPlugin } from '../plugins/plugin.js';

export interface MirrorTaskOptions {
  /** Probability that an image is mirrored left to right. */
  mirrorProbability: number;
}

/**
 * Predict whether each image was mirrored left to right: images [N, H, W, C] → the same images,
 * some mirrored, and targets [N] (1 = mirrored); a linear head with 2 outputs.
 *
 * @example const task = mirrorTask({ mirrorProbability: 0.5 });
 * @throws when `mirrorProbability` is not in [0, 1].
 */
export function mirrorTask(options: Partial<MirrorTaskOptions> = {}): PretextTask<MirrorTaskOptions, Tensor4D> {
  const mirrorProbability = options.mirrorProbability ?? 0.5;
  if (typeof mirrorProbability !== 'number' || !(mirrorProbability >= 0 && mirrorProbability <= 1)) {
    throw new Error(`mirrorTask: mirrorProbability must be in [0, 1], got ${mirrorProbability}`);
  }
  return {
    id: 'fixture-mirror',
    description: 'Each image, mirrored left to right or not → whether it was (a fixture task)',
    modality: 'image',
    options: { mirrorProbability },
    head: { kind: 'linear', outputSize: 2 },
    makeBatch(images: Tensor4D, { rng }): TaskBatch {
      const mirrored = Array.from({ length: images.shape[0] }, () => (rng.bernoulli(mirrorProbability) ? 1 : 0));
      return tf.tidy(() => {
        const mask = tf.tensor4d(mirrored, [mirrored.length, 1, 1, 1]);
        const flipped = tf.reverse(images, 2);
        return {
          inputs: tf.add(tf.mul(flipped, mask), tf.mul(images, tf.sub(1, mask))),
          targets: tf.tensor1d(mirrored, 'int32'),
        };
      });
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(batch.targets as Tensor1D, 2), outputs) as Scalar);
    },
  };
}

/** Registers the fixture task in the CLI's task registry, beside the built-in ones. */
export default {
  name: 'fixture-tasks',
  register({ tasks }) {
    tasks.register({ 'fixture-mirror': mirrorTask });
  },
} satisfies SelfsupPlugin;
