import { type Scalar, type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
import { checkImages } from '../check-images.js';
import { pixelReconstructionHead } from '../heads/pixel-reconstruction-head.js';
import { INPAINTING_MASK_KINDS, type InpaintingMaskKind, inpaintingMasks } from './inpainting-masks.js';

export interface InpaintingTaskOptions {
  /** Which pixels are hidden: `center` (the paper's central region), `random-block` or `random-region`. */
  mask: InpaintingMaskKind;
  /** Side of the hidden square as a fraction of the image side (the paper: 0.5). */
  maskSize: number;
  /** Fraction of pixels hidden by `random-region`. */
  coverage: number;
  /** Value the hidden pixels are set to in the input (the paper: the dataset mean). */
  fillValue: number;
  /** Channels of the decoder's stages, coarsest first. */
  decoderWidths: number[];
}

/** An inpainting batch. */
export interface InpaintingBatch extends TaskBatch {
  /** Images with the hidden pixels set to `fillValue` [N, H, W, C]: what the encoder sees. */
  inputs: Tensor4D;
  /** The original images [N, H, W, C]. */
  targets: Tensor4D;
  /** 1 where a pixel is hidden and scored, 0 elsewhere [N, H, W, 1]. */
  weights: Tensor4D;
}

/** The inpainting task. */
export interface InpaintingTask extends PretextTask<InpaintingTaskOptions, Tensor4D> {
  makeBatch(images: Tensor4D, context: TaskContext): InpaintingBatch;
}

/**
 * Context encoders (Pathak, Krähenbühl, Donahue, Darrell & Efros 2016, arXiv:1604.07379): part
 * of each image is hidden (a central square, a random square or a random region), the encoder
 * sees the rest, a convolutional decoder ({@link pixelReconstructionHead}) paints the whole image from
 * the encoder's features, and the loss is the L2 reconstruction error on the hidden pixels only
 * (the paper's reconstruction loss; its adversarial term is not included).
 *
 * Shapes: images [N, H, W, C] → inputs [N, H, W, C], targets [N, H, W, C], weights [N, H, W, 1];
 * outputs [N, H·W·C] in [0, 1].
 *
 * @example
 * const task = inpaintingTask({ mask: 'random-block', maskSize: 0.5 });
 * @throws if an option is out of range; from makeBatch, for a batch that is not images.
 */
export function inpaintingTask(options: Partial<InpaintingTaskOptions> = {}): InpaintingTask {
  const resolved: InpaintingTaskOptions = {
    mask: options.mask ?? 'random-block',
    maskSize: options.maskSize ?? 0.5,
    coverage: options.coverage ?? 0.25,
    fillValue: options.fillValue ?? 0.5,
    decoderWidths: options.decoderWidths ?? [64, 32],
  };
  if (!INPAINTING_MASK_KINDS.includes(resolved.mask)) {
    throw new Error(`inpaintingTask: mask '${resolved.mask}' is not one of ${INPAINTING_MASK_KINDS.join(', ')}`);
  }
  if (!(resolved.maskSize > 0 && resolved.maskSize <= 1)) {
    throw new Error(`inpaintingTask: maskSize must be in (0, 1]; got ${resolved.maskSize}`);
  }
  if (!(resolved.coverage > 0 && resolved.coverage <= 1)) {
    throw new Error(`inpaintingTask: coverage must be in (0, 1]; got ${resolved.coverage}`);
  }
  if (!Number.isFinite(resolved.fillValue)) {
    throw new Error(`inpaintingTask: fillValue must be a finite number; got ${resolved.fillValue}`);
  }
  return {
    id: 'inpainting',
    description:
      'An image with a region hidden → the whole image, scored on the hidden pixels (context encoder, Pathak et al. 2016)',
    modality: 'image',
    options: resolved,
    head: pixelReconstructionHead('inpaintingTask', resolved.decoderWidths, 'inpainting_head'),
    makeBatch(images: Tensor4D, { rng }): InpaintingBatch {
      checkImages(images, 'inpaintingTask');
      const [count, height, width] = images.shape;
      const masks = inpaintingMasks(
        count,
        height,
        width,
        { kind: resolved.mask, maskSize: resolved.maskSize, coverage: resolved.coverage },
        rng,
      );
      return tf.tidy(() => {
        const weights = tf.tensor4d(masks, [count, height, width, 1]);
        const inputs = tf.add(tf.mul(images, tf.sub(1, weights)), tf.mul(weights, resolved.fillValue)) as Tensor4D;
        return { inputs, targets: tf.clone(images), weights };
      });
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return maskedSquaredError(outputs, batch);
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return tf.tidy(() => {
        const mse = maskedSquaredError(outputs, batch);
        // 10·log10(1 / mse), the images in [0, 1].
        return { maskedMse: mse, maskedPsnr: tf.mul(tf.log(tf.maximum(mse, 1e-12)), -10 / Math.LN10) as Scalar };
      });
    },
  };
}

/** Σ mask·(output − target)² / (Σ mask · C): the mean squared error over hidden pixels and channels. */
function maskedSquaredError(outputs: Tensor, batch: TaskBatch): Scalar {
  return tf.tidy(() => {
    const targets = batch.targets;
    const mask = batch.weights as Tensor;
    const channels = targets.shape[3] as number;
    const squared = tf.mul(tf.square(tf.sub(tf.reshape(outputs, targets.shape), targets)), mask);
    return tf.div(tf.sum(squared), tf.maximum(tf.mul(tf.sum(mask), channels), 1)) as Scalar;
  });
}
