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
  const cumulative = Float64Array.from(spanLengthProbabilities(geometricP, maxSpanLength));
  for (let i = 1; i < maxSpanLength; i++) cumulative[i] = (cumulative[i] as number) + (cumulative[i - 1] as number);
  const drawLength = () => {
    const u = rng.next();
    let length = 1;
    while (length < maxSpanLength && u >= (cumulative[length - 1] as number)) length++;
    return length;
  };
  const inputIds = Int32Array.from(ids);
  const labels = new Int32Array(ids.length).fill(IGNORE_INDEX);
  const spans: number[] = [];
  const drawn: number[] = [];
  for (let row = 0; row < rows; row++) {
    const words = rowWords(ids, row, length, vocabulary, tables.special, caller);
    if (words.count === 0) continue;
    const budget = Math.round(words.tokens * maskProbability);
    const wordMasked = new Uint8Array(words.count);
    let masked = 0;
    // Each attempt either masks a word or hits a masked/over-budget one; the cap ends rows whose
    // remaining words are all longer than the budget left.
    for (let attempt = 0; masked < budget && attempt < 8 * words.count + 16; attempt++) {
      const spanWords = drawLength();
      const anchor = rng.int(words.count);
      if (wordMasked[anchor] === 1) continue;
      drawn.push(spanWords);
      let end = anchor;
      let tokens = 0;
      while (end < words.count && end - anchor < spanWords && wordMasked[end] === 0) {
        const wordTokens = (words.ends[end] as number) - (words.starts[end] as number);
        if (masked + tokens + wordTokens > budget) break;
        tokens += wordTokens;
        wordMasked[end] = 1;
        end++;
      }
      if (tokens === 0) continue;
      masked += tokens;
      const first = row * length + (words.starts[anchor] as number);
      spans.push(first, tokens, end - anchor);
      // The span is replaced as a unit: one draw for all its tokens.
      const kind = replacer.kind(rng);
      for (let w = anchor; w < end; w++) {
        for (let column = words.starts[w] as number; column < (words.ends[w] as number); column++) {
          const i = row * length + column;
          labels[i] = inputIds[i] as number;
          if (kind === 'mask') inputIds[i] = vocabulary.maskId;
          else if (kind === 'random') inputIds[i] = replacer.randomId(rng);
        }
      }
    }
  }
  return {
    inputIds,
    labels,
    maskedPositions: maskedPositionsOf(labels),
    spans: Int32Array.from(spans),
    drawnLengths: Int32Array.from(drawn),
  };
}
