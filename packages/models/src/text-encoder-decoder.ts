import { createRng, type Tensor, type Tensor2D, type Tensor3D, tf } from '@selfsup/backend';
import { layerNormLayer } from './layers.js';
import type { Encoder, ForwardMode } from './module.js';
import { ParameterStore } from './parameters.js';
import { TEXT_ENCODER_DECODER_DEFAULTS } from './text-encoder-decoder-declaration.js';
import { embedTokens, meanOverTokens, paddingMask } from './token-sequences.js';
import { transformerBlock } from './transformer-block.js';
import { transformerDecoderBlock } from './transformer-decoder-block.js';

export interface TextEncoderDecoderOptions {
  vocabSize: number;
  /** Longest encoder input (default 128). */
  maxInputLength?: number;
  /** Longest decoder sequence (default 64). */
  maxTargetLength?: number;
  /** Token width (default: {@link TEXT_ENCODER_DECODER_DEFAULTS}). */
  dim?: number;
  /** Encoder blocks (default: {@link TEXT_ENCODER_DECODER_DEFAULTS}). */
  encoderDepth?: number;
  /** Decoder blocks (default: {@link TEXT_ENCODER_DECODER_DEFAULTS}). */
  decoderDepth?: number;
  /** Attention heads (default: {@link TEXT_ENCODER_DECODER_DEFAULTS}). */
  heads?: number;
  mlpRatio?: number;
  /** The padding id: encoder keys and pooling leave it out (default 0). */
  padTokenId?: number;
  seed?: number;
  name?: string;
}

/** A small T5-style encoder-decoder over token ids. */
export interface TextEncoderDecoder extends Encoder {
  readonly vocabSize: number;
  readonly padTokenId: number;
  /** Encoder outputs [batch, length, dim] after the final layer norm. */
  encodeTokens(inputIds: Tensor2D, mode: ForwardMode): Tensor3D;
  /**
   * Causal decoder logits [batch, targetLength, vocabSize] of decoder inputs [batch, targetLength]
   * attending to `encoded` where `inputIds` is not padding; the output layer is the shared
   * embedding matrix, scaled by dim^−½ (as T5).
   */
  decodeLogits(decoderInputIds: Tensor2D, encoded: Tensor3D, inputIds: Tensor2D, mode: ForwardMode): Tensor3D;
}

/**
 * A small encoder-decoder transformer for T5's span corruption (Raffel et al. 2020,
 * arXiv:1910.10683): one token embedding shared by encoder, decoder and output layer, learned
 * position embeddings, pre-LN blocks (the encoder's ignore padding keys; the decoder's are causal
 * and cross-attend to the encoder). `apply(ids)` is the mean of the encoder's non-padding outputs,
 * so the encoder plugs into linear probes.
 *
 * @example
 * const model = createTextEncoderDecoder({ vocabSize: tokenizer.vocabSize });
 * const task = t5SpanCorruptionTask({ vocabulary: tokenizer.vocabulary });
 * @throws for sizes that are not positive integers or ids longer than the maximum lengths.
 */
export function createTextEncoderDecoder(options: TextEncoderDecoderOptions): TextEncoderDecoder {
  const vocabSize = options.vocabSize;
  const maxInputLength = options.maxInputLength ?? 128;
  const maxTargetLength = options.maxTargetLength ?? 64;
  const dim = options.dim ?? TEXT_ENCODER_DECODER_DEFAULTS.dim;
  const encoderDepth = options.encoderDepth ?? TEXT_ENCODER_DECODER_DEFAULTS.encoderDepth;
  const decoderDepth = options.decoderDepth ?? TEXT_ENCODER_DECODER_DEFAULTS.decoderDepth;
  const heads = options.heads ?? TEXT_ENCODER_DECODER_DEFAULTS.heads;
  const mlpRatio = options.mlpRatio ?? TEXT_ENCODER_DECODER_DEFAULTS.mlpRatio;
  const padTokenId = options.padTokenId ?? 0;
  const name = options.name ?? 'text_encoder_decoder';
  for (const [key, value] of Object.entries({
    vocabSize,
    maxInputLength,
    maxTargetLength,
    dim,
    heads,
    encoderDepth,
    decoderDepth,
  })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`createTextEncoderDecoder: ${key} must be a positive integer, got ${value}`);
    }
  }
  if (!Number.isInteger(padTokenId) || padTokenId < 0 || padTokenId >= vocabSize) {
    throw new Error(
      `createTextEncoderDecoder: padTokenId ${padTokenId} is not an id of the vocabulary of size ${vocabSize}`,
    );
  }
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const embeddings = store.weight('token_embedding', [vocabSize, dim], { kind: 'truncatedNormal', std: 0.02 });
  const inputPositions = store.weight('encoder_position_embedding', [maxInputLength, dim], {
    kind: 'truncatedNormal',
    std: 0.02,
  });
  const targetPositions = store.weight('decoder_position_embedding', [maxTargetLength, dim], {
    kind: 'truncatedNormal',
    std: 0.02,
  });
  const encoderBlocks = Array.from({ length: encoderDepth }, (_, i) =>
    transformerBlock(store, `encoder_block${i + 1}`, { dim, heads, mlpRatio }),
  );
  const encoderNorm = layerNormLayer(store, 'encoder_final_ln', dim);
  const decoderBlocks = Array.from({ length: decoderDepth }, (_, i) =>
    transformerDecoderBlock(store, `decoder_block${i + 1}`, { dim, heads, mlpRatio }),
  );
  const decoderNorm = layerNormLayer(store, 'decoder_final_ln', dim);
  const check = (ids: Tensor, longest: number, what: string) => {
    if (ids.rank !== 2) throw new Error(`${name}: expected ${what} [batch, length], got [${ids.shape}]`);
    if ((ids.shape[1] as number) > longest) {
      throw new Error(`${name}: ${what} of ${ids.shape[1]} tokens are longer than the maximum ${longest}`);
    }
  };
  const encodeTokens = (inputIds: Tensor2D, mode: ForwardMode): Tensor3D => {
    check(inputIds, maxInputLength, 'input ids');
    return tf.tidy(() => {
      const keyMask = paddingMask(inputIds, padTokenId);
      let h = embedTokens(inputIds, embeddings, inputPositions);
      for (const block of encoderBlocks) h = block(h, mode, keyMask);
      return encoderNorm(h);
    });
  };
  return {
    name,
    featureSize: dim,
    inputShape: [maxInputLength],
    vocabSize,
    padTokenId,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: {
      kind: 'text-encoder-decoder',
      options: {
        vocabSize,
        maxInputLength,
        maxTargetLength,
        dim,
        encoderDepth,
        decoderDepth,
        heads,
        mlpRatio,
        padTokenId,
        seed: options.seed ?? 0,
        name,
      },
    },
    encodeTokens,
    decodeLogits(decoderInputIds, encoded, inputIds, mode) {
      check(decoderInputIds, maxTargetLength, 'decoder input ids');
      return tf.tidy(() => {
        const length = decoderInputIds.shape[1];
        const memoryMask = paddingMask(inputIds, padTokenId);
        let h = embedTokens(decoderInputIds, embeddings, targetPositions);
        for (const block of decoderBlocks) h = block(h, encoded, memoryMask, mode);
        const [batch] = h.shape;
        const flat = tf.reshape(tf.mul(decoderNorm(h), dim ** -0.5), [batch * length, dim]);
        return tf.reshape(tf.matMul(flat, tf.transpose(embeddings)), [batch, length, vocabSize]) as Tensor3D;
      });
    },
    apply(inputs: Tensor, mode: ForwardMode): Tensor2D {
      check(inputs, maxInputLength, 'input ids');
      return tf.tidy(() => {
        const hidden = encodeTokens(inputs as Tensor2D, mode);
        return meanOverTokens(hidden, paddingMask(inputs, padTokenId));
      });
    },
    dispose: () => store.dispose(),
  };
}
