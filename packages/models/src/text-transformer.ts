import { createRng, type Tensor, type Tensor2D, type Tensor3D, tf } from '@selfsup/backend';
import { denseLayer, gelu, layerNormLayer } from './layers.js';
import type { Encoder, ForwardMode } from './module.js';
import { rebuildSavedModule } from './module-io.js';
import { ParameterStore } from './parameters.js';
import { describeLocation, type ModuleLocation } from './saved-module.js';
import { TEXT_TRANSFORMER_DEFAULTS } from './text-transformer-declaration.js';
import { embedTokens, meanOverTokens, paddingMask } from './token-sequences.js';
import { transformerBlock } from './transformer-block.js';

export interface TextTransformerOptions {
  /** Token ids are 0..vocabSize−1 (the tokenizer's `vocabSize`). */
  vocabSize: number;
  /** Longest sequence (learned position embeddings); default 128. */
  maxLength?: number;
  /** Token width (default: {@link TEXT_TRANSFORMER_DEFAULTS}). */
  dim?: number;
  /** Transformer blocks (default: {@link TEXT_TRANSFORMER_DEFAULTS}). */
  depth?: number;
  /** Attention heads (default: {@link TEXT_TRANSFORMER_DEFAULTS}). */
  heads?: number;
  /** MLP hidden size as a multiple of dim (default: {@link TEXT_TRANSFORMER_DEFAULTS}). */
  mlpRatio?: number;
  /** The id that marks padding: attention ignores it, pooling leaves it out (default 0). */
  padTokenId?: number;
  /** Sentence feature of `apply`: `mean` of the non-padding outputs or the first (`cls`) output (default: {@link TEXT_TRANSFORMER_DEFAULTS}). */
  pooling?: 'mean' | 'cls';
  seed?: number;
  name?: string;
}

/** A transformer over token ids with BERT's MLM head tied to its input embeddings. */
export interface TextTransformer extends Encoder {
  readonly vocabSize: number;
  readonly maxLength: number;
  readonly dim: number;
  readonly padTokenId: number;
  /** The token embedding matrix [vocabSize, dim], shared with the MLM head's output layer. */
  readonly tokenEmbeddings: tf.Variable;
  /** Token ids [batch, length] → outputs after the final layer norm [batch, length, dim]. */
  encodeTokens(inputIds: Tensor2D, mode: ForwardMode): Tensor3D;
  /** Outputs [n, dim] → vocabulary logits [n, vocabSize]: dense → GELU → LN → ·Eᵀ + b (E tied). */
  mlmLogits(hidden: Tensor2D, mode: ForwardMode): Tensor2D;
}

/**
 * A small pre-LN transformer encoder for text (BERT, Devlin et al. 2019, arXiv:1810.04805, with
 * the pre-LN blocks of Xiong et al. 2020, arXiv:2002.04745): token plus learned position
 * embeddings (truncated normal, std 0.02), `depth` blocks of multi-head self-attention that
 * ignores padding keys and a GELU MLP, a final layer norm, and BERT's MLM head whose output
 * layer is the transposed token embedding matrix (weight tying, Press & Wolf 2017).
 *
 * `apply(ids)` gives one sentence feature per row [batch, dim] (mean over non-padding tokens, or
 * the first token), so it plugs into linear probes like any encoder. Its embedding gradients run
 * on wasm through selfsup's UnsortedSegmentSum kernel.
 *
 * @example
 * const model = createTextTransformer({ vocabSize: tokenizer.vocabSize, padTokenId: tokenizer.vocabulary.padId });
 * const features = model.apply(tf.tensor2d(batch.inputIds, [batch.batchSize, batch.sequenceLength], 'int32'), { training: false });
 * @throws for a vocabulary size, width or head count that do not fit, and (from its methods) for
 *   token ids that are not [batch, length] with length ≤ maxLength.
 */
export function createTextTransformer(options: TextTransformerOptions): TextTransformer {
  const vocabSize = options.vocabSize;
  const maxLength = options.maxLength ?? 128;
  const dim = options.dim ?? TEXT_TRANSFORMER_DEFAULTS.dim;
  const depth = options.depth ?? TEXT_TRANSFORMER_DEFAULTS.depth;
  const heads = options.heads ?? TEXT_TRANSFORMER_DEFAULTS.heads;
  const mlpRatio = options.mlpRatio ?? TEXT_TRANSFORMER_DEFAULTS.mlpRatio;
  const padTokenId = options.padTokenId ?? 0;
  const pooling = options.pooling ?? TEXT_TRANSFORMER_DEFAULTS.pooling;
  const name = options.name ?? 'text_transformer';
  const caller = 'createTextTransformer';
  for (const [key, value] of Object.entries({ vocabSize, maxLength, dim, heads })) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${caller}: ${key} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(depth) || depth < 0)
    throw new Error(`${caller}: depth must be a non-negative integer, got ${depth}`);
  if (!Number.isInteger(padTokenId) || padTokenId < 0 || padTokenId >= vocabSize) {
    throw new Error(`${caller}: padTokenId ${padTokenId} is not an id of the vocabulary of size ${vocabSize}`);
  }
  if (pooling !== 'mean' && pooling !== 'cls')
    throw new Error(`${caller}: pooling must be 'mean' or 'cls', got '${pooling}'`);
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const tokenEmbeddings = store.weight('token_embedding', [vocabSize, dim], { kind: 'truncatedNormal', std: 0.02 });
  const positionEmbeddings = store.weight('position_embedding', [maxLength, dim], {
    kind: 'truncatedNormal',
    std: 0.02,
  });
  const blocks = Array.from({ length: depth }, (_, i) =>
    transformerBlock(store, `block${i + 1}`, { dim, heads, mlpRatio }),
  );
  const finalNorm = layerNormLayer(store, 'final_ln', dim, 1e-12);
  const head = store.child('mlm_head');
  const transform = denseLayer(head, 'transform', { inputSize: dim, outputSize: dim });
  const transformNorm = layerNormLayer(head, 'transform_ln', dim, 1e-12);
  const outputBias = head.weight('output_bias', [vocabSize], { kind: 'constant', value: 0 });

  const checkIds = (ids: Tensor): void => {
    if (ids.rank !== 2) throw new Error(`${name}: expected token ids [batch, length], got [${ids.shape}]`);
    if ((ids.shape[1] as number) > maxLength) {
      throw new Error(`${name}: sequences of ${ids.shape[1]} tokens are longer than maxLength ${maxLength}`);
    }
  };
  const encodeTokens = (inputIds: Tensor2D, mode: ForwardMode): Tensor3D => {
    checkIds(inputIds);
    return tf.tidy(() => {
      const keyMask = paddingMask(inputIds, padTokenId);
      let h = embedTokens(inputIds, tokenEmbeddings, positionEmbeddings);
      for (const block of blocks) h = block(h, mode, keyMask);
      return finalNorm(h);
    });
  };
  return {
    name,
    featureSize: dim,
    inputShape: [maxLength],
    vocabSize,
    maxLength,
    dim,
    padTokenId,
    tokenEmbeddings,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: {
      kind: 'text-transformer',
      options: {
        vocabSize,
        maxLength,
        dim,
        depth,
        heads,
        mlpRatio,
        padTokenId,
        pooling,
        seed: options.seed ?? 0,
        name,
      },
    },
    encodeTokens,
    mlmLogits(hidden: Tensor2D): Tensor2D {
      return tf.tidy(() => {
        const h = transformNorm(gelu(transform(hidden)));
        return tf.add(tf.matMul(h, tf.transpose(tokenEmbeddings)), outputBias) as Tensor2D;
      });
    },
    apply(inputs: Tensor, mode: ForwardMode): Tensor2D {
      checkIds(inputs);
      return tf.tidy(() => {
        const hidden = encodeTokens(inputs as Tensor2D, mode);
        if (pooling === 'cls') return tf.reshape(tf.slice(hidden, [0, 0, 0], [-1, 1, dim]), [-1, dim]) as Tensor2D;
        return meanOverTokens(hidden, paddingMask(inputs, padTokenId));
      });
    },
    dispose: () => store.dispose(),
  };
}

/**
 * Rebuilds a text transformer saved with `saveModule`, weights included, from a location as
 * `saveModule` takes it (a directory in Node; `indexeddb://name` or an IOHandler in a browser).
 * @throws naming the location when it holds no saved module or another kind of module.
 */
export async function loadTextTransformer(location: ModuleLocation): Promise<TextTransformer> {
  return rebuildSavedModule(location, (config) => {
    if (config.kind !== 'text-transformer' || config.options === undefined) {
      throw new Error(
        `${describeLocation(location)}: the saved module is a ${config.kind ?? 'unknown kind'}, not a text-transformer`,
      );
    }
    return createTextTransformer(config.options as unknown as TextTransformerOptions);
  }).catch((error: Error) => {
    if (error.message.includes('no saved module here')) {
      throw new Error(`${describeLocation(location)}: no saved text transformer here (${error.message})`, {
        cause: error,
      });
    }
    throw error;
  });
}
