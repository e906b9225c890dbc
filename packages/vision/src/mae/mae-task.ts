import { type Scalar, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D, tf } from '@selfsup/backend';
import { patchify } from '@selfsup/models';
import type { ForwardMode, PretextTask, TaskBatch, TaskContext, TaskEncoder, TaskHead } from '@selfsup/pretext';
import { checkImages } from '../check-images.js';
import { createMaeDecoder, type MaeDecoder } from './mae-decoder.js';
import { asPatchTokenEncoder } from './patch-token-encoder.js';
import { randomPatchMasking } from './random-patch-masking.js';

export interface MaeTaskOptions {
  /** Side of a patch; must equal the ViT's. */
  patchSize: number;
  /** Fraction of patches masked (MAE: 0.75). */
  maskRatio: number;
  /** Predict each patch's pixels standardized by the patch's own mean and variance (MAE's norm_pix_loss). */
  normalizeTargets: boolean;
  /** Width of the decoder's tokens (a light decoder: MAE's is 512 wide against ViT-L's 1024). */
  decoderDim: number;
  /** Transformer blocks of the decoder (MAE: 8). */
  decoderDepth: number;
  /** Attention heads of each decoder block; divides `decoderDim`. */
  decoderHeads: number;
}

/** An MAE batch. */
export interface MaeBatch extends TaskBatch {
  /** The images [N, H, W, C]. */
  inputs: Tensor4D;
  /** Pixel targets per patch [N, numPatches, p²·C] (normalized per patch if `normalizeTargets`). */
  targets: Tensor3D;
  /** 1 for masked (scored) patches, 0 for visible ones [N, numPatches]. */
  weights: Tensor2D;
  /** Visible patches of each image, in the order the encoder sees them [N, visible] int32. */
  visibleIndices: Tensor2D;
  /** Where each patch (image order) sits in [visible, masked] [N, numPatches] int32. */
  restoreIndices: Tensor2D;
}

/** The MAE task. */
export interface MaeTask extends PretextTask<MaeTaskOptions, Tensor4D> {
  makeBatch(images: Tensor4D, context: TaskContext): MaeBatch;
  forward(encoder: TaskEncoder, head: TaskHead | undefined, batch: TaskBatch, mode: ForwardMode): Tensor3D;
}

/**
 * Masked autoencoders (He, Chen, Xie, Li, Dollár & Girshick 2022, arXiv:2111.06377): each image
 * is cut into patches, a random `maskRatio` of them is masked per image, the ViT encoder runs on
 * the visible patches only (its `embedPatches` and `encodeTokens`), a light transformer decoder
 * ({@link createMaeDecoder}) fills the masked positions with a mask token and predicts every
 * patch's pixels, and the loss is the mean squared error over the masked patches only —
 * optionally against per-patch normalized pixels (`normalizeTargets`, MAE's default).
 *
 * Shapes: images [N, H, W, C] → targets [N, L, p²C], weights [N, L]; outputs [N, L, p²C].
 * The encoder must be a ViT-like {@link PatchTokenEncoder} (`createVitTiny` from `@selfsup/models`).
 *
 * @example
 * const encoder = createVitTiny({ inputShape: [28, 28, 1], patchSize: 4, depth: 4, dim: 128, heads: 4 });
 * const objective = taskObjective(maeTask({ patchSize: 4, maskRatio: 0.75 }), encoder);
 * @throws if an option is out of range; from makeBatch, if the images are not a whole number of
 *   patches; from forward and the head, if the encoder is not a patch-token encoder or its patch size differs.
 */
export function maeTask(options: Partial<MaeTaskOptions> = {}): MaeTask {
  const resolved: MaeTaskOptions = {
    patchSize: options.patchSize ?? 4,
    maskRatio: options.maskRatio ?? 0.75,
    normalizeTargets: options.normalizeTargets ?? true,
    decoderDim: options.decoderDim ?? 128,
    decoderDepth: options.decoderDepth ?? 2,
    decoderHeads: options.decoderHeads ?? 4,
  };
  const { patchSize } = resolved;
  for (const key of ['patchSize', 'decoderDim', 'decoderHeads'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new Error(`maeTask: ${key} must be a positive integer; got ${resolved[key]}`);
    }
  }
  if (!Number.isInteger(resolved.decoderDepth) || resolved.decoderDepth < 0) {
    throw new Error(`maeTask: decoderDepth must be a non-negative integer; got ${resolved.decoderDepth}`);
  }
  if (!(resolved.maskRatio >= 0 && resolved.maskRatio < 1)) {
    throw new Error(`maeTask: maskRatio must be in [0, 1); got ${resolved.maskRatio}`);
  }
  const checkedEncoder = (encoder: TaskEncoder) => {
    const vit = asPatchTokenEncoder(encoder, 'maeTask');
    if (vit.patchSize !== patchSize) {
      throw new Error(`maeTask: the task's patchSize is ${patchSize} but the encoder's is ${vit.patchSize}`);
    }
    return vit;
  };
  return {
    id: 'mae',
    description: 'The visible patches only, through a ViT → the pixels of the masked patches (MAE, He et al. 2022)',
    modality: 'image',
    options: resolved,
    encoderInput: (sampleShape) => ({ shape: [...sampleShape], pixels: true, patchSize }),
    head: {
      kind: 'custom',
      create: (encoder, seed) => {
        const vit = checkedEncoder(encoder);
        const [height, width, channels] = vit.inputShape as [number, number, number];
        return createMaeDecoder({
          encoderDim: vit.dim,
          rows: height / patchSize,
          cols: width / patchSize,
          patchValues: patchSize * patchSize * channels,
          dim: resolved.decoderDim,
          depth: resolved.decoderDepth,
          heads: resolved.decoderHeads,
          seed,
          name: 'mae_decoder',
        });
      },
    },
    makeBatch(images: Tensor4D, { rng }): MaeBatch {
      checkImages(images, 'maeTask');
      const [count, height, width] = images.shape;
      if (height % patchSize !== 0 || width % patchSize !== 0) {
        throw new Error(`maeTask: image size ${height}×${width} is not a multiple of the patch size ${patchSize}`);
      }
      const numPatches = (height / patchSize) * (width / patchSize);
      const masking = randomPatchMasking(count, numPatches, resolved.maskRatio, rng);
      return tf.tidy(() => {
        let targets = patchify(images, patchSize);
        if (resolved.normalizeTargets) {
          const { mean, variance } = tf.moments(targets, -1, true);
          targets = tf.div(tf.sub(targets, mean), tf.sqrt(tf.add(variance, 1e-6))) as Tensor3D;
        }
        return {
          inputs: tf.clone(images),
          targets,
          weights: tf.tensor2d(masking.mask, [count, numPatches]),
          visibleIndices: tf.tensor2d(masking.visibleIndices, [count, masking.visible], 'int32'),
          restoreIndices: tf.tensor2d(masking.restoreIndices, [count, numPatches], 'int32'),
        };
      });
    },
    forward(encoder, head, batch, mode): Tensor3D {
      const vit = checkedEncoder(encoder);
      const { visibleIndices, restoreIndices } = batch as MaeBatch;
      if (head === undefined || typeof (head as Partial<MaeDecoder>).decode !== 'function') {
        throw new Error('maeTask: forward needs the MAE decoder the task creates as its head');
      }
      return tf.tidy(() => {
        const tokens = vit.embedPatches(batch.inputs);
        const [count, numPatches, dim] = tokens.shape;
        const visible = visibleIndices.shape[1];
        const offsets = tf.tensor2d(
          Int32Array.from({ length: count }, (_, n) => n * numPatches),
          [count, 1],
          'int32',
        );
        const flatVisible = tf.reshape(tf.add(tf.cast(visibleIndices, 'int32'), offsets), [-1]);
        const visibleTokens = tf.reshape(tf.gather(tf.reshape(tokens, [count * numPatches, dim]), flatVisible), [
          count,
          visible,
          dim,
        ]) as Tensor3D;
        const encoded = vit.encodeTokens(visibleTokens, mode);
        return (head as MaeDecoder).decode(encoded, restoreIndices, mode);
      });
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return maskedPatchError(outputs, batch);
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return { maskedPatchMse: maskedPatchError(outputs, batch) };
    },
  };
}

/** Mean over masked patches of each patch's mean squared error (MAE's loss). */
function maskedPatchError(outputs: Tensor, batch: TaskBatch): Scalar {
  return tf.tidy(() => {
    const perPatch = tf.mean(tf.square(tf.sub(outputs, batch.targets)), -1);
    const mask = batch.weights as Tensor;
    return tf.div(tf.sum(tf.mul(perPatch, mask)), tf.maximum(tf.sum(mask), 1)) as Scalar;
  });
}
