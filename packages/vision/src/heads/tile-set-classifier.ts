import { createRng, type Tensor2D, tf } from '@selfsup/backend';
import { batchNormLayer, denseLayer, type Head, ParameterStore } from '@selfsup/models';

export interface TileSetClassifierOptions {
  /** Features per tile (the encoder's featureSize). */
  inputSize: number;
  /** Tiles per example (9 for a 3×3 jigsaw, 2 for a patch pair). */
  tiles: number;
  /** Width of the shared per-tile layer (the context-free network's fc6). */
  tileHiddenSize: number;
  /** Width of the layer over all tiles (fc7). */
  hiddenSize: number;
  /** Output classes (fc8): permutations, or neighbour positions. */
  classes: number;
  seed?: number;
  name?: string;
}

/**
 * The head of a siamese / context-free network (Doersch et al. 2015; Noroozi & Favaro 2016,
 * arXiv:1603.09246): each tile's features go through one shared layer (Linear → BN → ReLU), the
 * results are concatenated in tile order, then Linear → BN → ReLU → Linear to the classes. Only
 * this late fusion sees several tiles, so the encoder learns from one tile at a time.
 *
 * Shapes: features [N·tiles, inputSize] (rows n·tiles + i: tile i of example n) → logits [N, classes].
 *
 * @example
 * const head = createTileSetClassifier({ inputSize: 128, tiles: 9, tileHiddenSize: 256, hiddenSize: 512, classes: 100 });
 * @throws if a size is not a positive integer; from apply, if the rows are not a multiple of `tiles`.
 */
export function createTileSetClassifier(options: TileSetClassifierOptions): Head {
  const { inputSize, tiles, tileHiddenSize, hiddenSize, classes } = options;
  const name = options.name ?? 'tile_set_classifier';
  for (const [key, value] of Object.entries({ inputSize, tiles, tileHiddenSize, hiddenSize, classes })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`createTileSetClassifier: ${key} must be a positive integer; got ${value}`);
    }
  }
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const perTile = denseLayer(store, 'tile_linear', {
    inputSize,
    outputSize: tileHiddenSize,
    bias: false,
    reluFollows: true,
  });
  const perTileNorm = batchNormLayer(store, 'tile_bn', tileHiddenSize, { relu: true });
  const joint = denseLayer(store, 'joint_linear', {
    inputSize: tiles * tileHiddenSize,
    outputSize: hiddenSize,
    bias: false,
    reluFollows: true,
  });
  const jointNorm = batchNormLayer(store, 'joint_bn', hiddenSize, { relu: true });
  const classifier = denseLayer(store, 'classifier', { inputSize: hiddenSize, outputSize: classes });
  return {
    name,
    inputSize,
    outputSize: classes,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind: 'tile-set-classifier', options: { ...options, name } },
    apply(features, mode) {
      const rows = features.shape[0];
      if (rows % tiles !== 0) {
        throw new Error(`${name}: got ${rows} feature rows, not a multiple of ${tiles} tiles per example`);
      }
      return tf.tidy(() => {
        const tileFeatures = perTileNorm(perTile(features), mode);
        const concatenated = tf.reshape(tileFeatures, [rows / tiles, tiles * tileHiddenSize]) as Tensor2D;
        return classifier(jointNorm(joint(concatenated), mode));
      });
    },
    dispose: () => store.dispose(),
  };
}
