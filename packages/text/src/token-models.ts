import type { Tensor, Tensor2D, Tensor3D } from '@selfsup/backend';
import type { ForwardMode, TaskEncoder } from '@selfsup/pretext';

/**
 * An encoder of token sequences that exposes the output at every position (a transformer), not
 * only the pooled feature `apply` returns. `@selfsup/models`' `createTextTransformer` is one.
 */
export interface TokenSequenceEncoder extends TaskEncoder {
  /** Token ids [batch, length] (int32; padding holds the pad id) → outputs [batch, length, featureSize]. */
  encodeTokens(inputIds: Tensor2D, mode: ForwardMode): Tensor3D;
}

/** A token encoder with a language-model head over its vocabulary (BERT's MLM head). */
export interface MaskedLanguageModel extends TokenSequenceEncoder {
  readonly vocabSize: number;
  /** Outputs of some positions [n, featureSize] → logits over the vocabulary [n, vocabSize]. */
  mlmLogits(hidden: Tensor2D, mode: ForwardMode): Tensor2D;
}

/** An encoder-decoder (T5): the decoder reads the encoder's outputs and predicts target tokens. */
export interface SequenceToSequenceModel extends TokenSequenceEncoder {
  readonly vocabSize: number;
  /**
   * Decoder logits [batch, targetLength, vocabSize] for decoder inputs [batch, targetLength]
   * (causal), attending to `encoded` [batch, inputLength, featureSize] where `inputIds` is not padding.
   */
  decodeLogits(decoderInputIds: Tensor2D, encoded: Tensor3D, inputIds: Tensor2D, mode: ForwardMode): Tensor3D;
}

/** Word vectors with a second, "context" table (word2vec's output embeddings). */
export interface ContextEmbeddingModel extends TaskEncoder {
  readonly vocabSize: number;
  /** Context vectors of ids of any shape [...] → [..., featureSize]. */
  embedContext(ids: Tensor): Tensor;
}

function missing(encoder: TaskEncoder, methods: string[]): string[] {
  return methods.filter((method) => typeof (encoder as unknown as Record<string, unknown>)[method] !== 'function');
}

/**
 * The encoder as a {@link MaskedLanguageModel}.
 * @throws naming the task and the missing methods when it is not one.
 */
export function asMaskedLanguageModel(encoder: TaskEncoder, taskId: string): MaskedLanguageModel {
  const absent = missing(encoder, ['encodeTokens', 'mlmLogits']);
  if (absent.length > 0) {
    throw new Error(
      `${taskId}: the encoder has no ${absent.join(' or ')}; masked-token tasks need a token encoder with an MLM head (createTextTransformer from @selfsup/models)`,
    );
  }
  return encoder as MaskedLanguageModel;
}

/** The encoder as a {@link TokenSequenceEncoder}. @throws naming the task when it is not one. */
export function asTokenSequenceEncoder(encoder: TaskEncoder, taskId: string): TokenSequenceEncoder {
  if (missing(encoder, ['encodeTokens']).length > 0) {
    throw new Error(
      `${taskId}: the encoder has no encodeTokens; this task scores every position and needs a token encoder (createTextTransformer from @selfsup/models)`,
    );
  }
  return encoder as TokenSequenceEncoder;
}

/** The encoder as a {@link SequenceToSequenceModel}. @throws naming the task when it is not one. */
export function asSequenceToSequenceModel(encoder: TaskEncoder, taskId: string): SequenceToSequenceModel {
  const absent = missing(encoder, ['encodeTokens', 'decodeLogits']);
  if (absent.length > 0) {
    throw new Error(
      `${taskId}: the encoder has no ${absent.join(' or ')}; span corruption needs an encoder-decoder (createTextEncoderDecoder from @selfsup/models)`,
    );
  }
  return encoder as SequenceToSequenceModel;
}

/** The encoder as a {@link ContextEmbeddingModel}. @throws naming the task when it is not one. */
export function asContextEmbeddingModel(encoder: TaskEncoder, taskId: string): ContextEmbeddingModel {
  if (missing(encoder, ['embedContext']).length > 0) {
    throw new Error(
      `${taskId}: the encoder has no embedContext; word2vec tasks need word and context embeddings (createWord2Vec from @selfsup/models)`,
    );
  }
  return encoder as ContextEmbeddingModel;
}
