import type { Rng } from '@selfsup/backend';
import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';
import {
  IGNORE_INDEX,
  idOutOfRange,
  type MaskedTokens,
  prepareMasking,
  type TokenReplacementOptions,
  UINT32,
} from './masked-tokens.js';

export interface BertMaskingOptions extends TokenReplacementOptions {
  vocabulary: TokenVocabulary;
  /** Probability that a non-special token is selected for prediction (BERT: 0.15). */
  maskProbability: number;
}

/**
 * BERT's masked-language-model corruption (Devlin et al. 2019, arXiv:1810.04805), as Hugging
 * Face's `DataCollatorForLanguageModeling`: every non-special token is selected independently
 * with `maskProbability`; a selected token becomes `[MASK]` (80 %), a random non-special token
 * (10 %) or stays (10 %); labels hold the original id at selected positions and −100 elsewhere.
 * Special tokens (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`, …) are never selected or changed.
 *
 * Runs on flat typed arrays in one pass (no tensors), so it is cheap next to a training step.
 *
 * @param ids token ids [rows, length], row-major.
 * @example
 * const { inputIds, labels } = maskTokens(batch.inputIds, [batch.batchSize, batch.sequenceLength],
 *   { vocabulary: tokenizer.vocabulary, maskProbability: 0.15, ...DEFAULT_REPLACEMENT }, createRng(0));
 * @throws for an id outside the vocabulary (naming its position) or probabilities out of range.
 */
export function maskTokens(
  ids: ArrayLike<number>,
  shape: readonly [number, number],
  options: Partial<BertMaskingOptions> & { vocabulary: TokenVocabulary },
  rng: Rng,
): MaskedTokens {
  const caller = 'maskTokens';
  const { length, vocabulary, maskProbability, tables, replacer } = prepareMasking(ids, shape, options, caller);
  const { special } = tables;
  const size = vocabulary.size;
  const count = ids.length;
  const inputIds = new Int32Array(count);
  const labels = new Int32Array(count).fill(IGNORE_INDEX);
  const positions = new Int32Array(count);
  let selected = 0;
  // An integer threshold on one 32-bit draw per token keeps the selection loop free of float work.
  const selectBelow = maskProbability * UINT32;
  const integral = ids instanceof Int32Array || ids instanceof Uint16Array || ids instanceof Uint8Array;
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number;
    inputIds[i] = id;
    if (!(id >= 0 && id < size) || (!integral && !Number.isInteger(id)))
      throw idOutOfRange(caller, id, i, length, size);
    if (special[id] === 1 || rng.nextUint32() >= selectBelow) continue;
    labels[i] = id;
    positions[selected++] = i;
    inputIds[i] = replacer.replace(id, rng);
  }
  return { inputIds, labels, maskedPositions: positions.slice(0, selected) };
}
