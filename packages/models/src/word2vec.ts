import { createRng, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import type { Encoder, ForwardMode } from './module.js';
import { ParameterStore } from './parameters.js';
import { WORD2VEC_DEFAULTS } from './word2vec-declaration.js';

export interface Word2VecOptions {
  vocabSize: number;
  /** Vector width (default: {@link WORD2VEC_DEFAULTS}). */
  dim?: number;
  /** The id that fills context bags (CBOW); it is left out of their mean (default 0). */
  padTokenId?: number;
  seed?: number;
  name?: string;
}

/** word2vec's two embedding tables: word vectors (the encoder's output) and context vectors. */
export interface Word2Vec extends Encoder {
  readonly vocabSize: number;
  /** Word vectors [vocabSize, dim]: what downstream tasks use. */
  readonly wordVectors: tf.Variable;
  /** Context ("output") vectors of ids of any shape [...] → [..., dim]. */
  embedContext(ids: Tensor): Tensor;
}

/**
 * word2vec's model (Mikolov et al. 2013, arXiv:1310.4546): a word-vector table initialized
 * uniformly in ±0.5/dim and a context-vector table initialized to zeros, as the reference code.
 * `apply(ids [n])` gives word vectors [n, dim]; `apply(ids [n, k])` the mean of each row's
 * non-padding word vectors (CBOW's context bag). Train it with `skipGramTask` or `cbowTask`
 * from `@selfsup/text`.
 *
 * @example
 * const model = createWord2Vec({ vocabSize: tokenizer.vocabSize, dim: 100 });
 * @throws for a vocabulary size or width that is not a positive integer.
 */
export function createWord2Vec(options: Word2VecOptions): Word2Vec {
  const { vocabSize } = options;
  const dim = options.dim ?? WORD2VEC_DEFAULTS.dim;
  const padTokenId = options.padTokenId ?? 0;
  const name = options.name ?? 'word2vec';
  for (const [key, value] of Object.entries({ vocabSize, dim })) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`createWord2Vec: ${key} must be a positive integer, got ${value}`);
  }
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const wordVectors = store.weight('word_vectors', [vocabSize, dim], {
    kind: 'glorotUniform',
    // glorotUniform's limit √(6 / (fanIn + fanOut)) equals 0.5 / dim for fanIn + fanOut = 24·dim².
    fanIn: 24 * dim * dim,
    fanOut: 0,
  });
  const contextVectors = store.weight('context_vectors', [vocabSize, dim], { kind: 'constant', value: 0 });
  const toIds = (ids: Tensor) => (ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'));
  return {
    name,
    featureSize: dim,
    inputShape: [],
    vocabSize,
    wordVectors,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind: 'word2vec', options: { vocabSize, dim, padTokenId, seed: options.seed ?? 0, name } },
    apply(inputs: Tensor, _mode: ForwardMode): Tensor2D {
      if (inputs.rank !== 1 && inputs.rank !== 2) {
        throw new Error(`${name}: expected ids [n] or context bags [n, k], got [${inputs.shape}]`);
      }
      return tf.tidy(() => {
        const ids = toIds(inputs);
        const vectors = tf.gather(wordVectors, ids);
        if (inputs.rank === 1) return vectors as Tensor2D;
        const mask = tf.expandDims(tf.cast(tf.notEqual(ids, padTokenId), 'float32'), 2);
        return tf.div(tf.sum(tf.mul(vectors, mask), 1), tf.maximum(tf.sum(mask, 1), 1)) as Tensor2D;
      });
    },
    embedContext: (ids: Tensor) => tf.tidy(() => tf.gather(contextVectors, toIds(ids))),
    dispose: () => store.dispose(),
  };
}
