import { createRng, type Tensor2D, tf } from '@selfsup/backend';
import { maskTokens } from '../masking/bert-masking.js';
import { IGNORE_INDEX, type MaskedTokens } from '../masking/masked-tokens.js';
import type { MaskedLanguageModel } from '../token-models.js';
import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';

/** Masked-token prediction on held-out text. */
export interface MaskedTokenScores {
  /** Share of the masked positions whose most likely token is the original one. */
  accuracy: number;
  /** exp(mean cross-entropy) over the masked positions. */
  perplexity: number;
  /** Masked positions scored. */
  maskedTokens: number;
}

/** Options of {@link maskedTokenScores} and {@link unigramScores}. */
export interface MaskedTokenScoreOptions {
  vocabulary: TokenVocabulary;
  /** Seeds the BERT masking: the same seed masks the same positions the same way for every model. */
  seed: number;
  /** Sequences per forward pass (default 64). */
  batchSize?: number;
}

/** BERT's masking (15 %, 80/10/10) of the sequences [count, length], drawn from `seed`. */
function heldOutMasking(sequences: readonly Int32Array[], vocabulary: TokenVocabulary, seed: number) {
  const length = sequences[0]?.length ?? 0;
  const ids = new Int32Array(sequences.length * length);
  sequences.forEach((sequence, i) => {
    ids.set(sequence, i * length);
  });
  return { length, masked: maskTokens(ids, [sequences.length, length], { vocabulary }, createRng(seed)) };
}

function scores(correct: number, crossEntropy: number, count: number): MaskedTokenScores {
  return {
    accuracy: correct / Math.max(count, 1),
    perplexity: Math.exp(crossEntropy / Math.max(count, 1)),
    maskedTokens: count,
  };
}

/** The masked positions and original ids of rows [from, from + rows) of a masking. */
function maskedPositions(masked: MaskedTokens, from: number, count: number) {
  const positions: number[] = [];
  const labels: number[] = [];
  for (let i = from; i < from + count; i++) {
    if (masked.labels[i] === IGNORE_INDEX) continue;
    positions.push(i - from);
    labels.push(masked.labels[i] as number);
  }
  return { positions, labels };
}

/**
 * Masked-token accuracy and perplexity of a masked language model on held-out sequences: BERT's
 * masking (15 % of non-special tokens; Devlin et al. 2019, arXiv:1810.04805) drawn from `seed`,
 * then the model's MLM head scored at the masked positions, in evaluation mode and without
 * gradients. The same sequences and seed give every model the same masked positions, so a
 * pretrained model and its random init are compared on the same predictions.
 *
 * Shapes: `sequences` are equal-length rows of token ids; a batch [batchSize, length] goes through
 * `encodeTokens` → [batchSize, length, featureSize], the masked rows [masked, featureSize] through
 * `mlmLogits` → [masked, vocabSize]. No tensor outlives the call.
 *
 * @example
 * const { accuracy, perplexity } = maskedTokenScores(model, heldOut, { vocabulary: tokenizer.vocabulary, seed: 0 });
 * @throws for a token id outside the vocabulary.
 */
export function maskedTokenScores(
  model: MaskedLanguageModel,
  sequences: readonly Int32Array[],
  options: MaskedTokenScoreOptions,
): MaskedTokenScores {
  const batchSize = options.batchSize ?? 64;
  const { length, masked } = heldOutMasking(sequences, options.vocabulary, options.seed);
  let correct = 0;
  let crossEntropy = 0;
  let count = 0;
  for (let start = 0; start < sequences.length; start += batchSize) {
    const rows = Math.min(batchSize, sequences.length - start);
    const from = start * length;
    const { positions, labels } = maskedPositions(masked, from, rows * length);
    if (positions.length === 0) continue;
    const [hits, loss] = tf.tidy(() => {
      const inputs = tf.tensor2d(masked.inputIds.subarray(from, from + rows * length), [rows, length], 'int32');
      const hidden = tf.reshape(model.encodeTokens(inputs, { training: false }), [rows * length, model.featureSize]);
      const logits = model.mlmLogits(tf.gather(hidden, tf.tensor1d(positions, 'int32')) as Tensor2D, {
        training: false,
      });
      const target = tf.tensor1d(labels, 'int32');
      const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(target, model.vocabSize)), 1);
      const right = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), target), 'float32'));
      return [right.dataSync()[0] as number, -(tf.sum(picked).dataSync()[0] as number)];
    });
    correct += hits;
    crossEntropy += loss;
    count += positions.length;
  }
  return scores(correct, crossEntropy, count);
}

/**
 * The unigram baseline on the masked positions {@link maskedTokenScores} scores (same sequences,
 * same seed): every masked token predicted from its training frequency alone, add-one smoothed
 * over the non-special vocabulary. Its accuracy is that of always guessing the most frequent
 * token; a masked language model that does not beat it has learned nothing from context.
 *
 * @param counts training frequencies by token id [vocabSize] (`tokenCounts`).
 * @example
 * const unigram = unigramScores(tokenCounts(trainSequences, tokenizer.vocabSize), heldOut, { vocabulary, seed: 0 });
 */
export function unigramScores(
  counts: Float64Array,
  sequences: readonly Int32Array[],
  options: MaskedTokenScoreOptions,
): MaskedTokenScores {
  const { vocabulary } = options;
  const special = new Set([...vocabulary.specialIds, ...vocabulary.sentinelIds]);
  let total = 0;
  let types = 0;
  let best = -1;
  counts.forEach((count, id) => {
    if (special.has(id)) return;
    total += count;
    types++;
    if (best < 0 || count > (counts[best] as number)) best = id;
  });
  const { masked } = heldOutMasking(sequences, vocabulary, options.seed);
  let correct = 0;
  let crossEntropy = 0;
  let count = 0;
  for (const label of masked.labels) {
    if (label === IGNORE_INDEX) continue;
    crossEntropy -= Math.log(((counts[label] as number) + 1) / (total + types));
    if (label === best) correct++;
    count++;
  }
  return scores(correct, crossEntropy, count);
}
