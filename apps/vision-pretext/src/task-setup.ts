import type { Tensor4D } from '@selfsup/backend';
import type { LabeledImages } from '@selfsup/data';
import {
  createSmallCnn,
  createVitTiny,
  type Encoder,
  FASHION_MNIST_NORMALIZATION,
  type InputNormalization,
} from '@selfsup/models';
import type { PretextTask } from '@selfsup/pretext';
import { copyWeights } from '@selfsup/trainer';
import {
  abGamutBins,
  type ChromaticAberrationDefence,
  colorizationTask,
  denoisingTask,
  estimateAbPrior,
  inpaintingTask,
  type JigsawTaskOptions,
  jigsawTask,
  maeTask,
  relativeLocationTask,
  rotationTask,
} from '@selfsup/vision';
import type { AppTask, JigsawColourDefence, PipelineOptions } from './pipeline-options.js';

/**
 * Training defaults per task, chosen so a run on the embedded subset takes a few minutes on 2 cores
 * (MAE about 10: at 3 epochs its features probe below its own random-init ViT, at 10 above it).
 */
export const TASK_DEFAULTS: Record<AppTask, { epochs: number; batchSize: number; learningRate: number }> = {
  rotation: { epochs: 3, batchSize: 128, learningRate: 2e-3 },
  jigsaw: { epochs: 15, batchSize: 128, learningRate: 2e-3 },
  'relative-location': { epochs: 30, batchSize: 128, learningRate: 2e-3 },
  colorization: { epochs: 6, batchSize: 128, learningRate: 2e-3 },
  inpainting: { epochs: 3, batchSize: 128, learningRate: 2e-3 },
  denoising: { epochs: 3, batchSize: 128, learningRate: 2e-3 },
  mae: { epochs: 10, batchSize: 128, learningRate: 1.5e-3 },
};

/**
 * The ViT MAE trains here: `createVitTiny`'s architecture (pre-LN blocks, class token, learned
 * positions) at dim 128, 4 heads and 4 blocks instead of ViT-tiny's 192, 3 and 12, so that
 * pretraining and evaluation take minutes on 2 cores; its decoder: dim 96, 2 blocks, 3 heads.
 */
export const MAE_VIT = {
  patchSize: 4,
  dim: 128,
  depth: 4,
  heads: 4,
  decoderDim: 96,
  decoderDepth: 2,
  decoderHeads: 3,
} as const;

/**
 * The tile geometry of jigsaw and relative location on square inputs of `inputSize` px: on 28×28
 * Fashion-MNIST images, jigsaw cells of 9 px with 7-px tiles, and relative-location patches of
 * 7 px with gaps of 2 and jitter of 1; on larger photo patches, the same proportions.
 */
export function tileGeometry(inputSize: number): {
  jigsaw: { cellSize: number; tileSize: number };
  relativeLocation: { patchSize: number; gap: number; jitter: number };
} {
  const cellSize = Math.floor(inputSize / 3);
  return {
    jigsaw: { cellSize, tileSize: Math.round((cellSize * 7) / 9) },
    relativeLocation: {
      patchSize: Math.floor(inputSize / 4),
      gap: Math.floor(inputSize / 14),
      jitter: Math.floor(inputSize / 28),
    },
  };
}

/**
 * Jigsaw's colour defences on photographs (Noroozi & Favaro §3.2: 30 % of puzzles grayscale,
 * each colour channel jittered by ±2 px of 64 px tiles): here ±1 px, whatever the tile size (7 px
 * on 28-px photo patches, 16 px on 64-px ones).
 */
const JIGSAW_COLOUR_DEFENCES: Record<
  JigsawColourDefence,
  Pick<JigsawTaskOptions, 'grayscaleProbability' | 'channelJitter'>
> = {
  'grayscale-and-jitter': { grayscaleProbability: 0.3, channelJitter: 1 },
  none: { grayscaleProbability: 0, channelJitter: 0 },
};

/** Fashion-MNIST's statistics in each of the three channels of grey images replicated to RGB. */
const FASHION_MNIST_RGB_NORMALIZATION: InputNormalization = {
  mean: [0, 1, 2].map(() => FASHION_MNIST_NORMALIZATION.mean[0] as number),
  std: [0, 1, 2].map(() => FASHION_MNIST_NORMALIZATION.std[0] as number),
};

/** A task, the encoder it trains, and the encoder evaluated on whole images. */
export interface TaskSetup {
  task: PretextTask<object, Tensor4D>;
  /** The encoder the task trains. */
  encoder: Encoder;
  /**
   * The encoder evaluated on whole Fashion-MNIST images: the trained one, or — for tasks that
   * train on tiles — a full-size twin of the same convolutional network that gets its weights.
   */
  evaluationEncoder(): Encoder;
  /** Modules made here that the caller disposes. */
  dispose(): void;
}

function referenceCnn(inputShape: [number, number, number], normalize: boolean, seed: number): Encoder {
  const normalization = inputShape[2] === 3 ? FASHION_MNIST_RGB_NORMALIZATION : FASHION_MNIST_NORMALIZATION;
  return createSmallCnn({ inputShape, ...(normalize ? { normalization } : {}), seed });
}

/** Jigsaw on square images (or photo patches) of `size` px. */
function jigsawFor(options: PipelineOptions, size: number, defence: JigsawColourDefence | undefined) {
  return jigsawTask({
    grid: 3,
    ...tileGeometry(size).jigsaw,
    permutations: options.permutations,
    permutationSeed: options.seed,
    ...(defence === undefined ? {} : JIGSAW_COLOUR_DEFENCES[defence]),
  });
}

/** Relative location on square images (or photo patches) of `size` px. */
function relativeLocationFor(size: number, defence: ChromaticAberrationDefence | undefined) {
  return relativeLocationTask({
    ...tileGeometry(size).relativeLocation,
    ...(defence === undefined ? {} : { chromaticDefence: defence }),
  });
}

/**
 * For jigsaw and relative location pretrained on photos: the same task — same geometry and, for
 * jigsaw, the same permutation set — with no colour defence, to score held-out patches in full
 * colour and in grayscale. A network that reads position from colour fringes (chromatic
 * aberration) rather than content scores higher on colour than on grayscale patches. Undefined
 * for other runs.
 */
export function undefendedTask(options: PipelineOptions): PretextTask<object, Tensor4D> | undefined {
  // Set exactly for jigsaw and relative location pretrained on photos.
  const size = options.photoPatchSize;
  if (size === undefined) return undefined;
  if (options.task === 'jigsaw') return jigsawFor(options, size, 'none');
  if (options.task === 'relative-location') return relativeLocationFor(size, 'none');
  return undefined;
}

/** The chance level of a classification pretext task (1 / classes); undefined for the others. */
export function pretextChance(options: PipelineOptions): number | undefined {
  switch (options.task) {
    case 'rotation':
      return 1 / 4;
    case 'jigsaw':
      return 1 / options.permutations;
    case 'relative-location':
      return 1 / 8;
    default:
      return undefined;
  }
}

/**
 * Builds the task and its encoder. Grayscale tasks use the reference CNN of `../shared/peer`
 * (32-64-128-128) on 28×28 Fashion-MNIST; jigsaw and relative location train it on 7×7 tiles
 * (standardized per tile) and copy the weights into a 28×28 twin that standardizes with the
 * dataset statistics — on photos, the same CNN with 3 input channels on tiles of RGB photo
 * patches (`options.photoPatchSize`, tiles in the same proportions: `tileGeometry`), with the
 * colour defence `options.chromaticDefence`, evaluated as a 28×28×3 twin;
 * colorization trains it on the lightness of 28×28 photo patches (`abPriorSample`: patches to
 * estimate the ab prior from); MAE trains a ViT.
 */
export function createTaskSetup(options: PipelineOptions, train: LabeledImages, abPriorSample?: Tensor4D): TaskSetup {
  const seed = options.seed;
  const imageShape: [number, number, number] = [train.height, train.width, 1];
  // Jigsaw and relative location on photos: an RGB encoder, evaluated on grey replicated to RGB.
  const tileChannels = options.pretrainData === 'photos' ? 3 : 1;
  const owned: Encoder[] = [];
  const own = (encoder: Encoder) => {
    owned.push(encoder);
    return encoder;
  };
  const sameEncoder = (task: PretextTask<object, Tensor4D>, encoder: Encoder): TaskSetup => ({
    task,
    encoder: own(encoder),
    evaluationEncoder: () => encoder,
    dispose: () => {
      for (const e of owned) e.dispose();
    },
  });
  // Jigsaw and relative location cut tiles from the images, or on photos from photo patches.
  const tileSource = options.photoPatchSize ?? train.height;
  const geometry = tileGeometry(tileSource);
  const tileEncoder = (task: PretextTask<object, Tensor4D>, tile: number): TaskSetup => {
    const encoder = own(referenceCnn([tile, tile, tileChannels], false, seed));
    return {
      task,
      encoder,
      evaluationEncoder: () => {
        const full = own(referenceCnn([train.height, train.width, tileChannels], true, seed));
        copyWeights(full, encoder);
        return full;
      },
      dispose: () => {
        for (const e of owned) e.dispose();
      },
    };
  };
  switch (options.task) {
    case 'rotation':
      return sameEncoder(rotationTask(), referenceCnn(imageShape, true, seed));
    case 'jigsaw':
      return tileEncoder(
        jigsawFor(options, tileSource, options.chromaticDefence as JigsawColourDefence | undefined),
        geometry.jigsaw.tileSize,
      );
    case 'relative-location':
      return tileEncoder(
        relativeLocationFor(tileSource, options.chromaticDefence as ChromaticAberrationDefence | undefined),
        geometry.relativeLocation.patchSize,
      );
    case 'inpainting':
      return sameEncoder(inpaintingTask({ mask: 'random-block', maskSize: 0.5 }), referenceCnn(imageShape, true, seed));
    case 'denoising':
      return sameEncoder(denoisingTask({ noise: 'masking', level: 0.5 }), referenceCnn(imageShape, true, seed));
    case 'mae':
      return sameEncoder(
        maeTask({
          patchSize: MAE_VIT.patchSize,
          maskRatio: options.maskRatio,
          decoderDim: MAE_VIT.decoderDim,
          decoderDepth: MAE_VIT.decoderDepth,
          decoderHeads: MAE_VIT.decoderHeads,
        }),
        createVitTiny({
          inputShape: imageShape,
          patchSize: MAE_VIT.patchSize,
          dim: MAE_VIT.dim,
          depth: MAE_VIT.depth,
          heads: MAE_VIT.heads,
          normalization: FASHION_MNIST_NORMALIZATION,
          seed,
        }),
      );
    case 'colorization': {
      const bins = abGamutBins(10);
      const prior = abPriorSample === undefined ? undefined : Array.from(estimateAbPrior(abPriorSample, bins));
      // The encoder sees L/100 of photo patches, and at evaluation Fashion-MNIST pixels in [0, 1].
      return sameEncoder(
        colorizationTask({ mode: options.colorizationMode, outputStride: 4, abPrior: prior }),
        referenceCnn(imageShape, false, seed),
      );
    }
  }
}
