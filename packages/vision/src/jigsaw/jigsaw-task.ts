import { type Scalar, type Tensor, type Tensor1D, type Tensor4D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
import { checkImages } from '../check-images.js';
import { checkTileEncoder } from '../check-tile-encoder.js';
import { extractTiles, type TileBox } from '../extract-tiles.js';
import { createTileSetClassifier } from '../heads/tile-set-classifier.js';
import { standardizePerImage } from '../standardize-per-image.js';
import { maxHammingPermutations, type PermutationSet, permutationCandidates } from './max-hamming-permutations.js';

export interface JigsawTaskOptions {
  /** Tiles per side: 3 (a 3×3 puzzle, as the paper) or 2. */
  grid: number;
  /** Side of a grid cell in pixels; the puzzle covers a random grid·cellSize square crop. */
  cellSize: number;
  /** Side of a tile, smaller than the cell: each tile sits at a random place in its cell (gaps and jitter). */
  tileSize: number;
  /** Permutations, hence classes (the paper: 100 or 1000). */
  permutations: number;
  /** Seeds the max-Hamming permutation set (the same seed gives the same set and labels). */
  permutationSeed: number;
  /** Standardize each tile on its own (mean 0, std 1), against brightness and contrast shortcuts. */
  normalizeTiles: boolean;
  /** Colour images: probability that a puzzle is made grayscale (the paper: 0.3). */
  grayscaleProbability: number;
  /** Colour images: each channel of each tile is shifted by up to this many pixels (the paper: 2; 0 = off). */
  channelJitter: number;
  /** Shared per-tile layer of the head (fc6). */
  tileHiddenSize: number;
  /** Layer over the concatenated tiles (fc7). */
  hiddenSize: number;
}

/** A jigsaw batch: the task's {@link TaskBatch} plus where every tile came from. */
export interface JigsawBatch extends TaskBatch {
  /** Tiles [grid²·N, tileSize, tileSize, C]: rows n·grid² + slot, slot `s` holds the tile of cell `permutation[s]`. */
  inputs: Tensor4D;
  /** Permutation labels [N] int32. */
  targets: Tensor1D;
  /** Top-left corner (row, column) of every tile in its source image [grid²·N, 2] int32. */
  tilePositions: Tensor;
}

/** The jigsaw task: a {@link PretextTask} that also exposes its permutation set. */
export interface JigsawTask extends PretextTask<JigsawTaskOptions, Tensor4D> {
  /**
   * `permutations[label][slot]` is the grid cell (row-major) whose tile sits in `slot`. Searched
   * on first read (or the first batch), then kept.
   */
  readonly permutations: readonly (readonly number[])[];
  /** The smallest Hamming distance between two permutations of the set. */
  readonly minimumHammingDistance: number;
  makeBatch(images: Tensor4D, context: TaskContext): JigsawBatch;
}

/**
 * Solving jigsaw puzzles (Noroozi & Favaro 2016, arXiv:1603.09246). For each image: a random
 * square crop is cut into a grid×grid puzzle of cells; in each cell a smaller tile sits at a random
 * place (so tiles never share edges — gaps and jitter, against matching borders); tiles are
 * standardized on their own, and colour puzzles are sometimes made grayscale and their channels
 * jittered (against chromatic aberration). A label picks a permutation from a set of
 * `permutations` chosen greedily for maximal Hamming distance from `permutationSeed`; the tiles
 * are shuffled by it. The encoder sees one tile at a time (shared weights, the "context-free
 * network"); a {@link createTileSetClassifier} head reads the tiles' features in slot order and
 * classifies the permutation.
 *
 * Shapes: images [N, H, W, C] → inputs [grid²·N, tileSize, tileSize, C], targets [N]; outputs [N, permutations].
 * The encoder's input shape must be [tileSize, tileSize, C]; convolutional encoders copy their
 * weights to a full-size twin afterwards (`copyWeights` in `@selfsup/trainer`).
 *
 * @example
 * const task = jigsawTask({ permutations: 100 });
 * const encoder = createSmallCnn({ inputShape: [7, 7, 1] });
 * const objective = taskObjective(task, encoder);
 * @throws if an option is out of range; from makeBatch, if the puzzle does not fit the images.
 */
export function jigsawTask(options: Partial<JigsawTaskOptions> = {}): JigsawTask {
  const resolved: JigsawTaskOptions = {
    grid: options.grid ?? 3,
    cellSize: options.cellSize ?? 9,
    tileSize: options.tileSize ?? 7,
    permutations: options.permutations ?? 100,
    permutationSeed: options.permutationSeed ?? 0,
    normalizeTiles: options.normalizeTiles ?? true,
    grayscaleProbability: options.grayscaleProbability ?? 0.3,
    channelJitter: options.channelJitter ?? 0,
    tileHiddenSize: options.tileHiddenSize ?? 256,
    hiddenSize: options.hiddenSize ?? 512,
  };
  const { grid, cellSize, tileSize, permutations: classes } = resolved;
  if (grid !== 2 && grid !== 3) throw new Error(`jigsawTask: grid must be 2 or 3; got ${grid}`);
  for (const key of ['cellSize', 'tileSize', 'permutations', 'tileHiddenSize', 'hiddenSize'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`jigsawTask: ${key} must be a positive integer; got ${value}`);
  }
  if (tileSize > cellSize) {
    throw new Error(`jigsawTask: tileSize ${tileSize} must not exceed cellSize ${cellSize}`);
  }
  if (!(resolved.grayscaleProbability >= 0 && resolved.grayscaleProbability <= 1)) {
    throw new Error(`jigsawTask: grayscaleProbability must be in [0, 1]; got ${resolved.grayscaleProbability}`);
  }
  if (!Number.isInteger(resolved.channelJitter) || resolved.channelJitter < 0) {
    throw new Error(`jigsawTask: channelJitter must be a non-negative integer; got ${resolved.channelJitter}`);
  }
  const tiles = grid * grid;
  const request = { elements: tiles, count: classes, seed: resolved.permutationSeed };
  permutationCandidates(request);
  // The search takes a second for 100 permutations of 9 tiles: made on first use, not when the
  // task is made (listing or validating a config makes tasks it never runs). Same seed, same set.
  let set: PermutationSet | undefined;
  const permutationSet = () => {
    set ??= maxHammingPermutations(request);
    return set;
  };
  const puzzleSize = grid * cellSize;

  return {
    id: 'jigsaw',
    description:
      'The tiles of a shuffled grid, one per encoder pass → which of the permutations shuffled them (Noroozi & Favaro 2016)',
    modality: 'image',
    options: resolved,
    chance: 1 / classes,
    // One tile per encoder pass: the encoder takes tiles, standardized unless normalizeTiles is off.
    encoderInput: (sampleShape) => ({
      shape: [tileSize, tileSize, sampleShape[2] as number],
      pixels: !resolved.normalizeTiles,
    }),
    get permutations() {
      return permutationSet().permutations;
    },
    get minimumHammingDistance() {
      return permutationSet().minimumDistance;
    },
    head: {
      kind: 'custom',
      create: (encoder, seed) => {
        checkTileEncoder(encoder, tileSize, 'jigsawTask');
        return createTileSetClassifier({
          inputSize: encoder.featureSize,
          tiles,
          tileHiddenSize: resolved.tileHiddenSize,
          hiddenSize: resolved.hiddenSize,
          classes,
          seed,
          name: 'jigsaw_head',
        });
      },
    },
    makeBatch(images: Tensor4D, { rng }): JigsawBatch {
      checkImages(images, 'jigsawTask');
      const [count, height, width, channels] = images.shape;
      if (puzzleSize > height || puzzleSize > width) {
        throw new Error(
          `jigsawTask: a ${grid}×${grid} puzzle of ${cellSize}-pixel cells needs images of at least ${puzzleSize}×${puzzleSize}; got [${images.shape}]`,
        );
      }
      const { permutations } = permutationSet();
      const labels = new Int32Array(count);
      const boxes: TileBox[] = [];
      const grayscale: number[] = [];
      for (let image = 0; image < count; image++) {
        const top = rng.int(height - puzzleSize + 1);
        const left = rng.int(width - puzzleSize + 1);
        const label = rng.int(classes);
        labels[image] = label;
        const permutation = permutations[label] as number[];
        for (let slot = 0; slot < tiles; slot++) {
          const cell = permutation[slot] as number;
          boxes.push({
            image,
            top: top + Math.floor(cell / grid) * cellSize + rng.int(cellSize - tileSize + 1),
            left: left + (cell % grid) * cellSize + rng.int(cellSize - tileSize + 1),
          });
        }
        grayscale.push(channels === 3 && rng.bernoulli(resolved.grayscaleProbability) ? 1 : 0);
      }
      let shifts: Int32Array | undefined;
      if (channels === 3 && resolved.channelJitter > 0) {
        const jitter = resolved.channelJitter;
        shifts = new Int32Array(boxes.length * channels * 2);
        for (let i = 0; i < shifts.length; i++) shifts[i] = rng.int(2 * jitter + 1) - jitter;
      }
      return tf.tidy(() => {
        let inputs = extractTiles(images, boxes, tileSize, shifts);
        if (channels === 3 && grayscale.some((g) => g === 1)) {
          const perTile = tf.reshape(tf.tensor1d(grayscale.flatMap((g) => new Array<number>(tiles).fill(g))), [
            boxes.length,
            1,
            1,
            1,
          ]);
          const luma = tf.tile(tf.sum(tf.mul(inputs, [0.299, 0.587, 0.114]), 3, true), [1, 1, 1, 3]);
          inputs = tf.add(tf.mul(luma, perTile), tf.mul(inputs, tf.sub(1, perTile))) as Tensor4D;
        }
        if (resolved.normalizeTiles) inputs = standardizePerImage(inputs);
        return {
          inputs,
          targets: tf.tensor1d(labels, 'int32'),
          tilePositions: tf.tensor2d(
            boxes.flatMap(({ top, left }) => [top, left]),
            [boxes.length, 2],
            'int32',
          ),
        };
      });
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return tf.tidy(
        () => tf.losses.softmaxCrossEntropy(tf.oneHot(batch.targets as Tensor1D, classes), outputs) as Scalar,
      );
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return {
        jigsawAccuracy: tf.tidy(
          () => tf.mean(tf.cast(tf.equal(tf.argMax(outputs, 1), batch.targets), 'float32')) as Scalar,
        ),
      };
    },
  };
}
