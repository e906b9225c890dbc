import type { Rng } from '@selfsup/backend';
import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';
import {
  checkReplacement,
  checkShape,
  DEFAULT_REPLACEMENT,
  IGNORE_INDEX,
  idOutOfRange,
  type MaskedTokens,
  type TokenReplacementOptions,
  vocabularyTables,
} from './masked-tokens.js';

export interface BertMaskingOptions extends TokenReplacementOptions {
  vocabulary: TokenVocabulary;
  /** Probability that a non-special token is selected for prediction (BERT: 0.15). */
  maskProbability: number;
}

const UINT32 = 2 ** 32;

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
  const [rows, length] = shape;
  checkShape(ids, rows, length, caller);
  const maskProbability = options.maskProbability ?? 0.15;
  if (!(maskProbability >= 0 && maskProbability <= 1)) {
    throw new Error(`${caller}: maskProbability must be in [0, 1], got ${maskProbability}`);
  }
  const replacement = {
    maskReplaceProbability: options.maskReplaceProbability ?? DEFAULT_REPLACEMENT.maskReplaceProbability,
    randomReplaceProbability: options.randomReplaceProbability ?? DEFAULT_REPLACEMENT.randomReplaceProbability,
  };
  checkReplacement(replacement, caller);
  const { vocabulary } = options;
  const { special, replacementIds } = vocabularyTables(vocabulary, caller);
  const size = vocabulary.size;
  const maskId = vocabulary.maskId;
  const count = ids.length;
  const inputIds = new Int32Array(count);
  const labels = new Int32Array(count).fill(IGNORE_INDEX);
  const positions = new Int32Array(count);
  let selected = 0;
  // Integer thresholds on one 32-bit draw per token keep the loop free of float work.
  const selectBelow = maskProbability * UINT32;
  const maskBelow = replacement.maskReplaceProbability * UINT32;
  const randomBelow = (replacement.maskReplaceProbability + replacement.randomReplaceProbability) * UINT32;
  const replacements = replacementIds.length;
  const integral = ids instanceof Int32Array || ids instanceof Uint16Array || ids instanceof Uint8Array;
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number;
    inputIds[i] = id;
    if (!(id >= 0 && id < size) || (!integral && !Number.isInteger(id)))
      throw idOutOfRange(caller, id, i, length, size);
    if (special[id] === 1 || rng.nextUint32() >= selectBelow) continue;
    labels[i] = id;
    positions[selected++] = i;
    const draw = rng.nextUint32();
    if (draw < maskBelow) inputIds[i] = maskId;
    else if (draw < randomBelow) inputIds[i] = replacementIds[Math.floor(rng.next() * replacements)] as number;
  }
  return { inputIds, labels, maskedPositions: positions.slice(0, selected) };
}
