import { type Scalar, type Tensor, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
import { checkImages } from '../check-images.js';
import { encoderInputShape } from '../encoder-input-shape.js';
import { createImageDecoder } from '../heads/image-decoder.js';
import { type AbBins, abGamutBins, annealedMeanAb, softEncodeAb } from './ab-quantization.js';
import { rebalancingWeights } from './class-rebalancing.js';
import { labToRgb, rgbToLab } from './lab.js';

/** ab values are divided by this for regression targets (|a|, |b| ≤ 110 in sRGB). */
export const AB_SCALE = 110;

export interface ColorizationTaskOptions {
  /**
   * `classification` (the paper's method): a distribution over quantized ab bins per output
   * pixel, soft-encoded targets, class rebalancing; `regression`: ab values with an L2 loss (the
   * paper's baseline, which tends to desaturate).
   */
  mode: 'classification' | 'regression';
  /** Output pixels are `outputStride`×`outputStride` blocks of the input (the paper: 4). */
  outputStride: number;
  /** Side of an ab bin (the paper: 10). */
  binSize: number;
  /** Nearest bins each target spreads over (the paper: 5). */
  softNeighbours: number;
  /** Width of the soft encoding's Gaussian, in ab units (the paper: 5). */
  softSigma: number;
  /** λ of the rebalancing weights (the paper: 0.5; 1 = no rebalancing). */
  rebalance: number;
  /**
   * The ab prior p̃ over the bins, from `estimateAbPrior` on training images (default: uniform,
   * which makes every weight 1 — pass a real prior to rebalance).
   */
  abPrior: number[] | undefined;
  /** Temperature of the annealed mean that turns a distribution into ab (the paper: 0.38). */
  temperature: number;
  /** Channels of the decoder's stages, coarsest first. */
  decoderWidths: number[];
}

/** A colorization batch. */
export interface ColorizationBatch extends TaskBatch {
  /** Lightness L/100 [N, H, W, 1] in [0, 1]: what the encoder sees. */
  inputs: Tensor4D;
  /** Classification: soft-encoded bins [N, h, w, Q]; regression: ab / 110 [N, h, w, 2]. */
  targets: Tensor4D;
  /** Classification: the rebalancing weight of each output pixel [N, h, w]. */
  weights?: Tensor;
  /** The true ab of each output pixel [N, h, w, 2] (block averages), for metrics and previews. */
  targetAb: Tensor4D;
}

/** The colorization task, with what it needs to turn outputs into colours. */
export interface ColorizationTask extends PretextTask<ColorizationTaskOptions, Tensor4D> {
  /** The quantized ab bins (classification); scanned on first read (or the first batch), then kept. */
  readonly bins: AbBins;
  /** Class-rebalancing weights per bin [Q]. */
  readonly classWeights: Float32Array;
  makeBatch(images: Tensor4D, context: TaskContext): ColorizationBatch;
  /** Predicted ab [N, h, w, 2] (Lab units) from the outputs [N, h·w·K] of a batch of [N, H, W, ·] images. */
  decodeAb(outputs: Tensor, inputShape: readonly number[]): Tensor4D;
  /**
   * RGB images [N, H, W, 3] from lightness L/100 [N, H, W, 1] and predicted ab [N, h, w, 2]
   * (upsampled bilinearly to H×W).
   */
  colorize(lightness: Tensor4D, ab: Tensor4D): Tensor4D;
}

/**
 * Colorful image colorization (Zhang, Isola & Efros 2016, arXiv:1603.08511): RGB images go to
 * CIE Lab on tensors; the encoder sees the lightness L alone and the head predicts the ab colour
 * channels at 1/`outputStride` resolution. In `classification` mode (the paper's) each output
 * pixel is a distribution over the ~300 in-gamut ab bins, trained with cross-entropy against
 * soft-encoded targets, each pixel weighted by the rebalancing weight of its colour (eq. 2–4), and
 * decoded by the annealed mean; `regression` predicts ab with an L2 loss. The head is a
 * convolutional decoder from the encoder's feature vector ({@link createImageDecoder}).
 *
 * Shapes: images [N, H, W, 3] in [0, 1] → inputs [N, H, W, 1]; outputs [N, h·w·K] with
 * h = H/outputStride, K = Q (classification) or 2.
 *
 * @example
 * const task = colorizationTask({ abPrior: Array.from(estimateAbPrior(photos, abGamutBins())) });
 * const objective = taskObjective(task, createSmallCnn({ inputShape: [32, 32, 1] }));
 * @throws if an option is out of range; from makeBatch, for non-RGB images or sizes not divisible by outputStride.
 */
export function colorizationTask(options: Partial<ColorizationTaskOptions> = {}): ColorizationTask {
  const resolved: ColorizationTaskOptions = {
    mode: options.mode ?? 'classification',
    outputStride: options.outputStride ?? 4,
    binSize: options.binSize ?? 10,
    softNeighbours: options.softNeighbours ?? 5,
    softSigma: options.softSigma ?? 5,
    rebalance: options.rebalance ?? 0.5,
    abPrior: options.abPrior,
    temperature: options.temperature ?? 0.38,
    decoderWidths: options.decoderWidths ?? [64, 64],
  };
  if (resolved.mode !== 'classification' && resolved.mode !== 'regression') {
    throw new Error(`colorizationTask: mode must be 'classification' or 'regression'; got '${resolved.mode}'`);
  }
  for (const key of ['outputStride', 'softNeighbours'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new Error(`colorizationTask: ${key} must be a positive integer; got ${resolved[key]}`);
    }
  }
  for (const key of ['binSize', 'softSigma', 'temperature'] as const) {
    if (!(resolved[key] > 0)) throw new Error(`colorizationTask: ${key} must be positive; got ${resolved[key]}`);
  }
  if (!(resolved.rebalance >= 0 && resolved.rebalance <= 1)) {
    throw new Error(`colorizationTask: rebalance must be in [0, 1]; got ${resolved.rebalance}`);
  }
  // The bins and weights are made on first use, not when the task is made (listing or validating a
  // config makes tasks it never runs) — unless an abPrior must be checked against the bins now.
  let tables: { bins: AbBins; classWeights: Float32Array } | undefined;
  const binTables = () => {
    if (tables !== undefined) return tables;
    const bins = abGamutBins(resolved.binSize);
    if (resolved.abPrior !== undefined && resolved.abPrior.length !== bins.count) {
      throw new Error(
        `colorizationTask: abPrior has ${resolved.abPrior.length} values but there are ${bins.count} ab bins of size ${resolved.binSize}`,
      );
    }
    const classWeights = rebalancingWeights(
      resolved.abPrior ?? new Array<number>(bins.count).fill(1 / bins.count),
      resolved.rebalance,
    );
    tables = { bins, classWeights };
    return tables;
  };
  if (resolved.abPrior !== undefined) binTables();
  const classification = resolved.mode === 'classification';
  const channelsOut = () => (classification ? binTables().bins.count : 2);
  const stride = resolved.outputStride;

  const outputGrid = (height: number, width: number, owner: string): [number, number] => {
    if (height % stride !== 0 || width % stride !== 0) {
      throw new Error(`${owner}: image size ${height}×${width} is not a multiple of outputStride ${stride}`);
    }
    return [height / stride, width / stride];
  };
  const decodeAb = (outputs: Tensor, inputShape: readonly number[]): Tensor4D => {
    const [h, w] = outputGrid(inputShape[1] as number, inputShape[2] as number, 'colorizationTask.decodeAb');
    return tf.tidy(() => {
      const maps = tf.reshape(outputs, [-1, h, w, channelsOut()]);
      return (
        classification ? annealedMeanAb(maps, binTables().bins, resolved.temperature) : tf.mul(maps, AB_SCALE)
      ) as Tensor4D;
    });
  };

  return {
    id: 'colorization',
    description:
      'Lightness L → the ab colour channels at a lower resolution, over quantized in-gamut bins or by regression (Zhang, Isola & Efros 2016)',
    modality: 'image',
    options: resolved,
    // The encoder sees the lightness L/100 alone.
    encoderInput: (sampleShape) => ({ shape: [sampleShape[0] as number, sampleShape[1] as number, 1], pixels: false }),
    get bins() {
      return binTables().bins;
    },
    get classWeights() {
      return binTables().classWeights;
    },
    head: {
      kind: 'custom',
      create: (encoder, seed) => {
        const [height, width, channels] = encoderInputShape(encoder, 'colorizationTask');
        if (channels !== 1) {
          throw new Error(
            `colorizationTask: the encoder must see the lightness channel alone (inputShape [H, W, 1]); got [${height}, ${width}, ${channels}]`,
          );
        }
        const [h, w] = outputGrid(height, width, 'colorizationTask');
        return createImageDecoder({
          inputSize: encoder.featureSize,
          outputShape: [h, w, channelsOut()],
          widths: resolved.decoderWidths,
          seed,
          name: 'colorization_head',
        });
      },
    },
    makeBatch(images: Tensor4D): ColorizationBatch {
      checkImages(images, 'colorizationTask', [3]);
      const [count, height, width] = images.shape;
      const [h, w] = outputGrid(height, width, 'colorizationTask');
      return tf.tidy(() => {
        const lab = rgbToLab(images);
        const inputs = tf.div(tf.slice(lab, [0, 0, 0, 0], [-1, -1, -1, 1]), 100) as Tensor4D;
        const targetAb = tf.avgPool(tf.slice(lab, [0, 0, 0, 1], [-1, -1, -1, 2]) as Tensor4D, stride, stride, 'valid');
        if (!classification) return { inputs, targets: tf.div(targetAb, AB_SCALE) as Tensor4D, targetAb };
        const { bins, classWeights } = binTables();
        const flatAb = tf.reshape(targetAb, [count * h * w, 2]) as Tensor2D;
        const soft = softEncodeAb(flatAb, bins, resolved.softNeighbours, resolved.softSigma);
        const weights = tf.reshape(tf.gather(tf.tensor1d(classWeights), tf.argMax(soft, 1)), [count, h, w]);
        return { inputs, targets: tf.reshape(soft, [count, h, w, bins.count]) as Tensor4D, weights, targetAb };
      });
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return tf.tidy(() => {
        const targets = batch.targets;
        const flatTargets = tf.reshape(targets, [-1, channelsOut()]);
        const flatOutputs = tf.reshape(outputs, [-1, channelsOut()]);
        if (!classification) return tf.mean(tf.square(tf.sub(flatOutputs, flatTargets))) as Scalar;
        const crossEntropy = tf.neg(tf.sum(tf.mul(flatTargets, tf.logSoftmax(flatOutputs)), 1));
        const weights = batch.weights === undefined ? tf.onesLike(crossEntropy) : tf.reshape(batch.weights, [-1]);
        return tf.mean(tf.mul(crossEntropy, weights)) as Scalar;
      });
    },
    metrics(outputs: Tensor, batch: TaskBatch): Record<string, Scalar> {
      const { targetAb } = batch as ColorizationBatch;
      return tf.tidy((): Record<string, Scalar> => {
        const predicted = decodeAb(outputs, [
          targetAb.shape[0],
          targetAb.shape[1] * stride,
          targetAb.shape[2] * stride,
        ]);
        const abError = tf.mean(tf.sqrt(tf.sum(tf.square(tf.sub(predicted, targetAb)), -1))) as Scalar;
        if (!classification) return { abError };
        const flatOutputs = tf.reshape(outputs, [-1, channelsOut()]);
        const flatTargets = tf.reshape(batch.targets, [-1, channelsOut()]);
        const abBinAccuracy = tf.mean(
          tf.cast(tf.equal(tf.argMax(flatOutputs, 1), tf.argMax(flatTargets, 1)), 'float32'),
        ) as Scalar;
        return { abError, abBinAccuracy };
      });
    },
    decodeAb,
    colorize(lightness: Tensor4D, ab: Tensor4D): Tensor4D {
      const [, height, width] = lightness.shape;
      return tf.tidy(() => {
        const upsampled = tf.image.resizeBilinear(ab, [height, width]);
        return labToRgb(tf.concat([tf.mul(lightness, 100), upsampled], -1)) as Tensor4D;
      });
    },
  };
}
