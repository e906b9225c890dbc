import { createRng, type Tensor2D, type Tensor3D, tf } from '@selfsup/backend';
import { batchNormLayer, denseLayer } from './layers.js';
import type { Head } from './module.js';
import { ParameterStore } from './parameters.js';

/**
 * How a {@link createFrameFusionHead} combines the items of an example: `concat` joins every
 * item's features in order (Shuffle & Learn, odd-one-out, arrow of time); `pairwise` first maps
 * every pair of items (i < j) through one shared layer, then joins the pairs (OPN, VCOP).
 */
export type FrameFusion = 'concat' | 'pairwise';

/** The frame fusions a {@link createFrameFusionHead} offers. */
export const FRAME_FUSIONS: readonly FrameFusion[] = ['concat', 'pairwise'];

export interface FrameFusionHeadOptions {
  /** Features per frame (the frame encoder's featureSize). */
  inputSize: number;
  /** Items per example: frames (OPN: 4), clips (VCOP: 3) or sequences (odd-one-out: 6). */
  items: number;
  /** Frames per item, their features concatenated in order before the item layer (clips, sequences; default 1). */
  framesPerItem?: number;
  /** How items are combined (default `concat`). */
  fusion?: FrameFusion;
  /** Width of the shared per-item layer (OPN's fc6; default 256). */
  itemHiddenSize?: number;
  /** `pairwise`: width of the shared layer over each pair of items (OPN's fc7; default 128). */
  pairHiddenSize?: number;
  /** `concat`: width of the layer over all items (default 256). */
  hiddenSize?: number;
  /** Outputs: classes (orders, positions) or regression values. */
  outputSize: number;
  seed?: number;
  name?: string;
}

function pairsOf(items: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < items; i++) for (let j = i + 1; j < items; j++) pairs.push([i, j]);
  return pairs;
}

/**
 * The fusion head of a frame-order network: a per-frame 2D encoder with shared weights sees one
 * frame at a time, and only this head sees several. Each item's features (the features of its
 * frames, concatenated in order) go through one shared Linear → BN → ReLU; then either
 * - `concat`: the items are concatenated in order → Linear → BN → ReLU → Linear (Shuffle & Learn,
 *   Misra et al. 2016, arXiv:1603.08561), or
 * - `pairwise`: every pair i < j is concatenated and mapped by one shared Linear → BN → ReLU, the
 *   pairs are concatenated → Linear (OPN, Lee et al. 2017, arXiv:1708.01246; VCOP, Xu et al. 2019).
 *
 * Shapes: features [N·items·framesPerItem, inputSize] (rows n·items·framesPerItem +
 * item·framesPerItem + frame) → outputs [N, outputSize].
 *
 * @example
 * const head = createFrameFusionHead({ inputSize: 128, items: 4, fusion: 'pairwise', outputSize: 12 });
 * const logits = head.apply(frameEncoder.apply(frames, mode), mode); // frames [4N, H, W, C] → [N, 12]
 * @throws if a size is not a positive integer or the fusion is unknown; from apply, if the rows
 *   are not a multiple of items·framesPerItem or the features are not inputSize wide.
 */
export function createFrameFusionHead(options: FrameFusionHeadOptions): Head {
  const framesPerItem = options.framesPerItem ?? 1;
  const fusion = options.fusion ?? 'concat';
  const itemHiddenSize = options.itemHiddenSize ?? 256;
  const pairHiddenSize = options.pairHiddenSize ?? 128;
  const hiddenSize = options.hiddenSize ?? 256;
  const { inputSize, items, outputSize } = options;
  const name = options.name ?? 'frame_fusion_head';
  if (!FRAME_FUSIONS.includes(fusion)) {
    throw new Error(`createFrameFusionHead: fusion must be one of ${FRAME_FUSIONS.join(', ')}; got '${fusion}'`);
  }
  const sizes = { inputSize, items, framesPerItem, itemHiddenSize, pairHiddenSize, hiddenSize, outputSize };
  for (const [key, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`createFrameFusionHead: ${key} must be a positive integer; got ${value}`);
    }
  }
  if (fusion === 'pairwise' && items < 2) {
    throw new Error(`createFrameFusionHead: pairwise fusion needs at least 2 items; got ${items}`);
  }
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const itemLinear = denseLayer(store, 'item_linear', {
    inputSize: framesPerItem * inputSize,
    outputSize: itemHiddenSize,
    bias: false,
    reluFollows: true,
  });
  const itemNorm = batchNormLayer(store, 'item_bn', itemHiddenSize, { relu: true });
  const pairs = pairsOf(items);
  const pairLinear =
    fusion === 'pairwise'
      ? denseLayer(store, 'pair_linear', {
          inputSize: 2 * itemHiddenSize,
          outputSize: pairHiddenSize,
          bias: false,
          reluFollows: true,
        })
      : undefined;
  const pairNorm = fusion === 'pairwise' ? batchNormLayer(store, 'pair_bn', pairHiddenSize, { relu: true }) : undefined;
  const jointLinear =
    fusion === 'concat'
      ? denseLayer(store, 'joint_linear', {
          inputSize: items * itemHiddenSize,
          outputSize: hiddenSize,
          bias: false,
          reluFollows: true,
        })
      : undefined;
  const jointNorm = fusion === 'concat' ? batchNormLayer(store, 'joint_bn', hiddenSize, { relu: true }) : undefined;
  const classifier = denseLayer(store, 'output', {
    inputSize: fusion === 'concat' ? hiddenSize : pairs.length * pairHiddenSize,
    outputSize,
  });
  const rowsPerExample = items * framesPerItem;
  return {
    name,
    inputSize,
    outputSize,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: {
      kind: 'frame-fusion-head',
      options: { ...options, framesPerItem, fusion, itemHiddenSize, pairHiddenSize, hiddenSize, name },
    },
    apply(features, mode) {
      const [rows, width] = features.shape;
      if (features.rank !== 2 || width !== inputSize) {
        throw new Error(`${name}: expected features [rows, ${inputSize}]; got [${features.shape}]`);
      }
      if (rows % rowsPerExample !== 0) {
        throw new Error(
          `${name}: got ${rows} feature rows, not a multiple of ${items} items × ${framesPerItem} frames per example`,
        );
      }
      const examples = rows / rowsPerExample;
      return tf.tidy(() => {
        const perItem = tf.reshape(features, [examples * items, framesPerItem * inputSize]) as Tensor2D;
        const itemFeatures = itemNorm(itemLinear(perItem), mode);
        if (fusion === 'concat') {
          const joined = tf.reshape(itemFeatures, [examples, items * itemHiddenSize]) as Tensor2D;
          return classifier((jointNorm as typeof itemNorm)((jointLinear as typeof itemLinear)(joined), mode));
        }
        const byItem = tf.reshape(itemFeatures, [examples, items, itemHiddenSize]) as Tensor3D;
        const left = tf.gather(
          byItem,
          pairs.map(([i]) => i),
          1,
        );
        const right = tf.gather(
          byItem,
          pairs.map(([, j]) => j),
          1,
        );
        const pairInputs = tf.reshape(tf.concat([left, right], 2), [
          examples * pairs.length,
          2 * itemHiddenSize,
        ]) as Tensor2D;
        const pairFeatures = (pairNorm as typeof itemNorm)((pairLinear as typeof itemLinear)(pairInputs), mode);
        return classifier(tf.reshape(pairFeatures, [examples, pairs.length * pairHiddenSize]) as Tensor2D);
      });
    },
    dispose: () => store.dispose(),
  };
}
