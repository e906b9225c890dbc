import { type Scalar, type Tensor, type Tensor1D, type Tensor4D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
import { checkImages } from '../check-images.js';
import { checkTileEncoder } from '../check-tile-encoder.js';
import {
  CHROMATIC_ABERRATION_DEFENCES,
  type ChromaticAberrationDefence,
  defendChromaticAberration,
} from '../chromatic-aberration-defence.js';
import { extractTiles, type TileBox } from '../extract-tiles.js';
import { createTileSetClassifier } from '../heads/tile-set-classifier.js';
import { standardizePerImage } from '../standardize-per-image.js';

export interface RelativeLocationTaskOptions {
  /** Side of each patch in pixels (the paper: 96 of ~280). */
  patchSize: number;
  /** Pixels between neighbouring patches before jitter (the paper: 48), so edges cannot be matched. */
  gap: number;
  /** Each patch moves by up to this many pixels in each axis (the paper: 7), so lines cannot be followed. */
  jitter: number;
  /** Against chromatic aberration (colour images only; the paper: channel dropping or projection). */
  chromaticDefence: ChromaticAberrationDefence;
  /** Standardize each patch on its own (mean 0, std 1). */
  normalizePatches: boolean;
  /** Shared per-patch layer of the head (fc6). */
  patchHiddenSize: number;
  /** Layer over the pair (fc7). */
  hiddenSize: number;
}

/**
 * The eight neighbours of the centre patch by label, as (row, column) steps: 0 top-left, 1 top,
 * 2 top-right, 3 left, 4 right, 5 bottom-left, 6 bottom, 7 bottom-right.
 */
export const NEIGHBOUR_OFFSETS: readonly (readonly [number, number])[] = [
  [-1, -1],
  [-1, 0],
  [-1, 1],
  [0, -1],
  [0, 1],
  [1, -1],
  [1, 0],
  [1, 1],
];

/** A relative-location batch: the task's {@link TaskBatch} plus where every patch came from. */
export interface RelativeLocationBatch extends TaskBatch {
  /** Patch pairs [2N, patchSize, patchSize, C]: row 2n is the centre patch of example n, row 2n + 1 its neighbour. */
  inputs: Tensor4D;
  /** Neighbour position labels [N] int32 (see {@link NEIGHBOUR_OFFSETS}). */
  targets: Tensor1D;
  /** Top-left corner (row, column) of every patch in its source image [2N, 2] int32. */
  patchPositions: Tensor;
}

/** The relative-location task. */
export interface RelativeLocationTask extends PretextTask<RelativeLocationTaskOptions, Tensor4D> {
  makeBatch(images: Tensor4D, context: TaskContext): RelativeLocationBatch;
}

/**
 * Context prediction by relative patch location (Doersch, Gupta & Efros 2015, arXiv:1505.05192):
 * from a 3×3 arrangement of patches with gaps and random jitter, the centre patch and one of its 8
 * neighbours form a pair, and the network classifies where the neighbour lies. Both patches go
 * through the same encoder (a siamese, late-fusion network: a {@link createTileSetClassifier} head
 * over the two feature vectors). Against the paper's shortcuts: gaps and jitter (no edge or line
 * continuation), per-patch standardization, and for colour images a chromatic-aberration defence
 * applied to each patch on its own (channel dropping by default).
 *
 * Shapes: images [N, H, W, C] → inputs [2N, patchSize, patchSize, C], targets [N]; outputs [N, 8].
 * The encoder's input shape must be [patchSize, patchSize, C] (see `jigsawTask` for reuse at full size).
 *
 * @example
 * const task = relativeLocationTask({ patchSize: 7, gap: 2, jitter: 1 });
 * @throws if an option is out of range; from makeBatch, if the 3×3 arrangement does not fit the images.
 */
export function relativeLocationTask(options: Partial<RelativeLocationTaskOptions> = {}): RelativeLocationTask {
  const resolved: RelativeLocationTaskOptions = {
    patchSize: options.patchSize ?? 7,
    gap: options.gap ?? 2,
    jitter: options.jitter ?? 1,
    chromaticDefence: options.chromaticDefence ?? 'channel-dropping',
    normalizePatches: options.normalizePatches ?? true,
    patchHiddenSize: options.patchHiddenSize ?? 256,
    hiddenSize: options.hiddenSize ?? 512,
  };
  const { patchSize, gap, jitter } = resolved;
  for (const key of ['patchSize', 'patchHiddenSize', 'hiddenSize'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`relativeLocationTask: ${key} must be a positive integer; got ${value}`);
    }
  }
  for (const key of ['gap', 'jitter'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`relativeLocationTask: ${key} must be a non-negative integer; got ${value}`);
    }
  }
  if (!CHROMATIC_ABERRATION_DEFENCES.includes(resolved.chromaticDefence)) {
    throw new Error(
      `relativeLocationTask: chromaticDefence '${resolved.chromaticDefence}' is not one of ${CHROMATIC_ABERRATION_DEFENCES.join(', ')}`,
    );
  }
  const step = patchSize + gap;
  const extent = 3 * patchSize + 2 * gap + 2 * jitter;

  return {
    id: 'relative-location',
    description: 'A centre patch and one of its 8 neighbours → which neighbour it is (Doersch, Gupta & Efros 2015)',
    modality: 'image',
    options: resolved,
    chance: 1 / NEIGHBOUR_OFFSETS.length,
    encoderInput: (sampleShape) => ({
      shape: [patchSize, patchSize, sampleShape[2] as number],
      pixels: !resolved.normalizePatches,
    }),
    head: {
      kind: 'custom',
      create: (encoder, seed) => {
        checkTileEncoder(encoder, patchSize, 'relativeLocationTask');
        return createTileSetClassifier({
          inputSize: encoder.featureSize,
          tiles: 2,
          tileHiddenSize: resolved.patchHiddenSize,
          hiddenSize: resolved.hiddenSize,
          classes: NEIGHBOUR_OFFSETS.length,
          seed,
          name: 'relative_location_head',
        });
      },
    },
    makeBatch(images: Tensor4D, { rng }): RelativeLocationBatch {
      checkImages(images, 'relativeLocationTask');
      const [count, height, width] = images.shape;
      if (extent > height || extent > width) {
        throw new Error(
          `relativeLocationTask: 3 patches of ${patchSize} with gap ${gap} and jitter ${jitter} need images of at least ${extent}×${extent}; got [${images.shape}]`,
        );
      }
      const labels = new Int32Array(count);
      const boxes: TileBox[] = [];
      for (let image = 0; image < count; image++) {
        // The centre patch's grid position, then each patch jittered on its own.
        const centreTop = rng.int(height - extent + 1) + jitter + step;
        const centreLeft = rng.int(width - extent + 1) + jitter + step;
        const label = rng.int(NEIGHBOUR_OFFSETS.length);
        labels[image] = label;
        const [rowStep, colStep] = NEIGHBOUR_OFFSETS[label] as [number, number];
        for (const [dy, dx] of [
          [0, 0],
          [rowStep, colStep],
        ] as const) {
          boxes.push({
            image,
            top: centreTop + dy * step + rng.int(2 * jitter + 1) - jitter,
            left: centreLeft + dx * step + rng.int(2 * jitter + 1) - jitter,
          });
        }
      }
      const defenceRng = rng.fork('chromatic-defence');
      return tf.tidy(() => {
        let inputs = extractTiles(images, boxes, patchSize);
        if (resolved.chromaticDefence !== 'none' && images.shape[3] === 3) {
          inputs = defendChromaticAberration(inputs, resolved.chromaticDefence, defenceRng);
        }
        if (resolved.normalizePatches) inputs = standardizePerImage(inputs);
        return {
          inputs,
          targets: tf.tensor1d(labels, 'int32'),
          patchPositions: tf.tensor2d(
            boxes.flatMap(({ top, left }) => [top, left]),
            [boxes.length, 2],
            'int32',
          ),
        };
      });
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return tf.tidy(
        () =>
          tf.losses.softmaxCrossEntropy(
            tf.oneHot(batch.targets as Tensor1D, NEIGHBOUR_OFFSETS.length),
            outputs,
          ) as Scalar,
      );
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return {
        relativeLocationAccuracy: tf.tidy(
          () => tf.mean(tf.cast(tf.equal(tf.argMax(outputs, 1), batch.targets), 'float32')) as Scalar,
        ),
      };
    },
  };
}
