import type { Rng } from '@selfsup/backend';
import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';
import { IGNORE_INDEX, type MaskedTokens, prepareMasking, type TokenReplacementOptions } from './masked-tokens.js';
import { checkedTokenIds, createRowWords, fillRowWords } from './word-spans.js';

export interface SpanMaskingOptions extends TokenReplacementOptions {
  vocabulary: TokenVocabulary;
  /** Fraction of each row's non-special tokens to mask (SpanBERT: 0.15); never exceeded. */
  maskProbability: number;
  /** Parameter p of the geometric span-length distribution, in words (SpanBERT: 0.2). */
  geometricP: number;
  /** Longest span in words; the distribution is truncated there (SpanBERT: 10). */
  maxSpanLength: number;
}

/** Spans masking made, besides the masked tokens: for inspection and tests. */
export interface MaskedSpans extends MaskedTokens {
  /** Per span: its first flat position, its length in tokens, its length in words, in drawing order. */
  spans: Int32Array;
  /** Span lengths in words as drawn from the distribution, before budget or collisions cut them. */
  drawnLengths: Int32Array;
}

/** @throws naming the option when the span-length distribution is not well defined. */
export function checkSpanLengths(geometricP: number, maxSpanLength: number, caller: string): void {
  if (!(geometricP > 0 && geometricP <= 1))
    throw new Error(`${caller}: geometricP must be in (0, 1], got ${geometricP}`);
  if (!Number.isInteger(maxSpanLength) || maxSpanLength < 1) {
    throw new Error(`${caller}: maxSpanLength must be a positive integer, got ${maxSpanLength}`);
  }
}

/**
 * The span-length distribution of SpanBERT: P(ℓ) ∝ p(1−p)^(ℓ−1) for ℓ = 1..maxSpanLength
 * (a geometric distribution truncated and renormalized; mean ≈ 3.8 words for p = 0.2, max 10).
 */
export function spanLengthProbabilities(geometricP: number, maxSpanLength: number): Float64Array {
  const probabilities = new Float64Array(maxSpanLength);
  let total = 0;
  for (let length = 1; length <= maxSpanLength; length++) {
    const p = geometricP * (1 - geometricP) ** (length - 1);
    probabilities[length - 1] = p;
    total += p;
  }
  for (let i = 0; i < maxSpanLength; i++) probabilities[i] = (probabilities[i] as number) / total;
  return probabilities;
}

/**
 * SpanBERT span masking (Joshi et al. 2020, arXiv:1907.10529): per row, draw a span length ℓ in
 * words from the truncated geometric distribution, start it at a random word that is not masked
 * yet, and mask ℓ whole words (stopping early at a masked word, the row's end, or the budget),
 * until round(maskProbability × non-special tokens) tokens are masked — never more. A span is
 * replaced as a unit: all `[MASK]` (80 %), all random tokens (10 %) or all kept (10 %). Labels
 * are −100 outside the spans.
 *
 * @param ids token ids [rows, length]; words come from `vocabulary.continuation`.
 * @throws for an id outside the vocabulary or options out of range.
 */
export function spanMaskTokens(
  ids: ArrayLike<number>,
  shape: readonly [number, number],
  options: Partial<SpanMaskingOptions> & { vocabulary: TokenVocabulary },
  rng: Rng,
): MaskedSpans {
  const caller = 'spanMaskTokens';
  const geometricP = options.geometricP ?? 0.2;
  const maxSpanLength = options.maxSpanLength ?? 10;
  const { rows, length, vocabulary, maskProbability, tables, replacer } = prepareMasking(
    ids,
    shape,
    options,
    caller,
    () => checkSpanLengths(geometricP, maxSpanLength, caller),
  );
  const { special } = tables;
  const cumulative = Float64Array.from(spanLengthProbabilities(geometricP, maxSpanLength));
  for (let i = 1; i < maxSpanLength; i++) cumulative[i] = (cumulative[i] as number) + (cumulative[i - 1] as number);
  const maskId = vocabulary.maskId;
  const inputIds = checkedTokenIds(ids, length, vocabulary.size, caller);
  const count = inputIds.length;
  const labels = new Int32Array(count).fill(IGNORE_INDEX);
  const spans: number[] = [];
  const drawn: number[] = [];
  const words = createRowWords(length);
  const { starts, ends } = words;
  const wordMasked = new Uint8Array(length);
  for (let row = 0; row < rows; row++) {
    fillRowWords(words, inputIds, row, length, special, vocabulary.continuation);
    const wordCount = words.count;
    if (wordCount === 0) continue;
    const budget = Math.round(words.tokens * maskProbability);
    wordMasked.fill(0, 0, wordCount);
    const offset = row * length;
    let masked = 0;
    // Each attempt either masks a word or hits a masked/over-budget one; the cap ends rows whose
    // remaining words are all longer than the budget left.
    for (let attempt = 0; masked < budget && attempt < 8 * wordCount + 16; attempt++) {
      // The span length in words: the first ℓ whose cumulative probability exceeds one draw.
      const u = rng.next();
      let spanWords = 1;
      while (spanWords < maxSpanLength && u >= (cumulative[spanWords - 1] as number)) spanWords++;
      const anchor = Math.floor(rng.next() * wordCount); // rng.int(wordCount)
      if (wordMasked[anchor] === 1) continue;
      drawn.push(spanWords);
      let end = anchor;
      let tokens = 0;
      while (end < wordCount && end - anchor < spanWords && wordMasked[end] === 0) {
        const wordTokens = (ends[end] as number) - (starts[end] as number);
        if (masked + tokens + wordTokens > budget) break;
        tokens += wordTokens;
        wordMasked[end] = 1;
        end++;
      }
      if (tokens === 0) continue;
      masked += tokens;
      const first = offset + (starts[anchor] as number);
      spans.push(first, tokens, end - anchor);
      // The span is replaced as a unit: one draw for all its tokens.
      const kind = replacer.kind(rng);
      for (let w = anchor; w < end; w++) {
        for (let i = offset + (starts[w] as number); i < offset + (ends[w] as number); i++) {
          labels[i] = inputIds[i] as number;
          if (kind === 'mask') inputIds[i] = maskId;
          else if (kind === 'random') inputIds[i] = replacer.randomId(rng);
        }
      }
    }
  }
  const positions = new Int32Array(count);
  let chosen = 0;
  for (let i = 0; i < count; i++) if (labels[i] !== IGNORE_INDEX) positions[chosen++] = i;
  return {
    inputIds,
    labels,
    maskedPositions: positions.slice(0, chosen),
    spans: Int32Array.from(spans),
    drawnLengths: Int32Array.from(drawn),
  };
}
