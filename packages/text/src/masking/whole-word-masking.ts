import type { Rng } from '@selfsup/backend';
import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';
import {
  IGNORE_INDEX,
  type MaskedTokens,
  maskedPositionsOf,
  prepareMasking,
  type TokenReplacementOptions,
} from './masked-tokens.js';
import { rowWords } from './word-spans.js';

export interface WholeWordMaskingOptions extends TokenReplacementOptions {
  vocabulary: TokenVocabulary;
  /** Fraction of each row's non-special tokens to select, in whole words (default 0.15). */
  maskProbability: number;
}

/**
 * Whole-word masking (BERT's WWM release, Devlin et al. 2019; Hugging Face's
 * `DataCollatorForWholeWordMask`): per row, words are taken in random order until
 * round(maskProbability × non-special tokens) tokens are selected (at least one), skipping a word
 * that would overshoot; every word piece of a chosen word is selected, so a word is never split.
 * Selected tokens are then replaced 80/10/10 as in BERT; labels are −100 elsewhere.
 *
 * @param ids token ids [rows, length]; words come from `vocabulary.continuation`.
 * @throws for an id outside the vocabulary or probabilities out of range.
 */
export function wholeWordMaskTokens(
  ids: ArrayLike<number>,
  shape: readonly [number, number],
  options: Partial<WholeWordMaskingOptions> & { vocabulary: TokenVocabulary },
  rng: Rng,
): MaskedTokens {
  const caller = 'wholeWordMaskTokens';
  const { rows, length, vocabulary, maskProbability, tables, replacer } = prepareMasking(ids, shape, options, caller);
  const inputIds = Int32Array.from(ids);
  const labels = new Int32Array(ids.length).fill(IGNORE_INDEX);
  const selected = new Uint8Array(ids.length);
  for (let row = 0; row < rows; row++) {
    const words = rowWords(ids, row, length, vocabulary, tables.special, caller);
    if (words.count === 0 || maskProbability === 0) continue;
    const budget = Math.max(1, Math.round(words.tokens * maskProbability));
    const order = rng.permutation(words.count);
    let covered = 0;
    for (const word of order) {
      if (covered >= budget) break;
      const start = words.starts[word] as number;
      const end = words.ends[word] as number;
      if (covered + end - start > budget) continue;
      covered += end - start;
      selected.fill(1, row * length + start, row * length + end);
    }
  }
  for (let i = 0; i < selected.length; i++) {
    if (selected[i] === 0) continue;
    const original = inputIds[i] as number;
    labels[i] = original;
    inputIds[i] = replacer.replace(original, rng);
  }
  return { inputIds, labels, maskedPositions: maskedPositionsOf(labels) };
}
