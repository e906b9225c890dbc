import type { Rng } from '@selfsup/backend';
import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';
import { IGNORE_INDEX, type MaskedTokens, prepareMasking, type TokenReplacementOptions } from './masked-tokens.js';
import { checkedTokenIds, createRowWords, fillRowWords } from './word-spans.js';

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
  const { special } = tables;
  const { continuation } = vocabulary;
  const inputIds = checkedTokenIds(ids, length, vocabulary.size, caller);
  const count = inputIds.length;
  const selected = new Uint8Array(count);
  const words = createRowWords(length);
  const order = new Int32Array(length);
  for (let row = 0; row < rows; row++) {
    fillRowWords(words, inputIds, row, length, special, continuation);
    const wordCount = words.count;
    if (wordCount === 0 || maskProbability === 0) continue;
    const budget = Math.max(1, Math.round(words.tokens * maskProbability));
    // rng.permutation(wordCount) in place: the same draws, no allocation per row.
    for (let i = 0; i < wordCount; i++) order[i] = i;
    for (let i = wordCount - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      const swap = order[i] as number;
      order[i] = order[j] as number;
      order[j] = swap;
    }
    const offset = row * length;
    let covered = 0;
    for (let k = 0; k < wordCount && covered < budget; k++) {
      const word = order[k] as number;
      const start = words.starts[word] as number;
      const end = words.ends[word] as number;
      if (covered + end - start > budget) continue;
      covered += end - start;
      for (let column = start; column < end; column++) selected[offset + column] = 1;
    }
  }
  // The replacements, in position order after every row's choice (as before: the same draws).
  const labels = new Int32Array(count).fill(IGNORE_INDEX);
  const positions = new Int32Array(count);
  let chosen = 0;
  for (let i = 0; i < count; i++) {
    if (selected[i] === 0) continue;
    const original = inputIds[i] as number;
    labels[i] = original;
    positions[chosen++] = i;
    inputIds[i] = replacer.replace(original, rng);
  }
  return { inputIds, labels, maskedPositions: positions.slice(0, chosen) };
}
