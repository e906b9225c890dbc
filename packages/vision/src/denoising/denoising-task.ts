import { type Scalar, type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
import { checkImages } from '../check-images.js';
import { pixelReconstructionHead } from '../heads/pixel-reconstruction-head.js';

/** Corruptions of a denoising autoencoder (Vincent et al. 2008, 2010). */
export type DenoisingNoise = 'gaussian' | 'masking' | 'salt-and-pepper';

export const DENOISING_NOISES: readonly DenoisingNoise[] = ['gaussian', 'masking', 'salt-and-pepper'];

export interface DenoisingTaskOptions {
  /** `gaussian`: x + N(0, level²), clipped to [0, 1]; `masking`: each pixel zeroed with probability `level`; `salt-and-pepper`: each pixel set to 0 or 1 with probability `level`. */
  noise: DenoisingNoise;
  /** Noise standard deviation (gaussian) or corruption probability (masking, salt-and-pepper). */
  level: number;
  /** Channels of the decoder's stages, coarsest first. */
  decoderWidths: number[];
}

/** A denoising batch. */
export interface DenoisingBatch extends TaskBatch {
  /** Corrupted images [N, H, W, C]. */
  inputs: Tensor4D;
  /** The clean images [N, H, W, C]. */
  targets: Tensor4D;
}

/** The denoising task. */
export interface DenoisingTask extends PretextTask<DenoisingTaskOptions, Tensor4D> {
  makeBatch(images: Tensor4D, context: TaskContext): DenoisingBatch;
}

/**
 * Denoising autoencoder (Vincent, Larochelle, Bengio & Manzagol 2008): the encoder sees a
 * corrupted image, a convolutional decoder ({@link pixelReconstructionHead}) reconstructs the clean
 * one from the encoder's features, with an L2 loss over all pixels. A useful floor for the
 * context-encoder and MAE results: the same decoder, with corruption everywhere instead of a hole.
 *
 * Shapes: images [N, H, W, C] → inputs and targets [N, H, W, C]; outputs [N, H·W·C] in [0, 1].
 *
 * @example const task = denoisingTask({ noise: 'masking', level: 0.5 });
 * @throws if an option is out of range; from makeBatch, for a batch that is not images.
 */
export function denoisingTask(options: Partial<DenoisingTaskOptions> = {}): DenoisingTask {
  const resolved: DenoisingTaskOptions = {
    noise: options.noise ?? 'masking',
    level: options.level ?? 0.5,
    decoderWidths: options.decoderWidths ?? [64, 32],
  };
  if (!DENOISING_NOISES.includes(resolved.noise)) {
    throw new Error(`denoisingTask: noise '${resolved.noise}' is not one of ${DENOISING_NOISES.join(', ')}`);
  }
  const maxLevel = resolved.noise === 'gaussian' ? Number.POSITIVE_INFINITY : 1;
  if (!(resolved.level >= 0 && resolved.level <= maxLevel)) {
    throw new Error(
      `denoisingTask: level must be in [0, ${maxLevel === 1 ? '1' : '∞'}) for ${resolved.noise} noise; got ${resolved.level}`,
    );
  }
  return {
    id: 'denoising',
    description:
      'A masked, salt-and-pepper or Gaussian-noised image → the clean image (denoising autoencoder, Vincent et al. 2008)',
    modality: 'image',
    options: resolved,
    head: pixelReconstructionHead('denoisingTask', resolved.decoderWidths, 'denoising_head'),
    makeBatch(images: Tensor4D, { rng }): DenoisingBatch {
      checkImages(images, 'denoisingTask');
      const shape = images.shape;
      return tf.tidy(() => {
        let inputs: Tensor4D;
        if (resolved.noise === 'gaussian') {
          inputs = tf.clipByValue(tf.add(images, rng.normalTensor(shape, 0, resolved.level)), 0, 1) as Tensor4D;
        } else {
          const corrupt = tf.cast(tf.less(rng.uniformTensor(shape), resolved.level), 'float32');
          const replacement =
            resolved.noise === 'masking'
              ? tf.zerosLike(images)
              : tf.cast(tf.less(rng.uniformTensor(shape), 0.5), 'float32');
          inputs = tf.add(tf.mul(images, tf.sub(1, corrupt)), tf.mul(replacement, corrupt)) as Tensor4D;
        }
        return { inputs, targets: tf.clone(images) };
      });
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return squaredError(outputs, batch);
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return { reconstructionMse: squaredError(outputs, batch) };
    },
  };
}

/** The mean squared error of the decoded pixels against the clean images, over every pixel and channel. */
function squaredError(outputs: Tensor, batch: TaskBatch): Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(tf.reshape(outputs, batch.targets.shape), batch.targets))) as Scalar);
}
