import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';

export interface ConsecutiveSegmentsOptions {
  vocabulary: TokenVocabulary;
  /** Segments per sample (2 for sentence order, 3–5 for sentence permutation). */
  segments: number;
  /** Longest segment in tokens; each segment is padded to it. */
  length: number;
}

/**
 * Samples of consecutive segments of one document, for sentence-order and sentence-permutation
 * tasks: lines (sentences) are gathered into segments of whole lines up to `length` tokens (a
 * longer line is cut), and every `segments` consecutive segments form one sample
 * [segments × length], padded with the pad id. Samples do not overlap; leftovers are dropped.
 *
 * @param lines token ids of each line without special tokens.
 * @throws if `segments` or `length` is not a positive integer.
 */
export function consecutiveSegments(
  lines: readonly ArrayLike<number>[],
  options: ConsecutiveSegmentsOptions,
): Int32Array[] {
  const { vocabulary, segments, length } = options;
  if (!Number.isInteger(segments) || segments < 1 || !Number.isInteger(length) || length < 1) {
    throw new Error(
      `consecutiveSegments: segments and length must be positive integers, got ${segments} and ${length}`,
    );
  }
  const pieces: number[][] = [];
  let current: number[] = [];
  for (const line of lines) {
    if (line.length === 0) continue;
    if (current.length > 0 && current.length + line.length > length) {
      pieces.push(current);
      current = [];
    }
    for (let i = 0; i < line.length && current.length < length; i++) current.push(line[i] as number);
  }
  if (current.length > 0) pieces.push(current);
  const samples: Int32Array[] = [];
  for (let first = 0; first + segments <= pieces.length; first += segments) {
    const sample = new Int32Array(segments * length).fill(vocabulary.padId);
    for (let s = 0; s < segments; s++) sample.set(pieces[first + s] as number[], s * length);
    samples.push(sample);
  }
  return samples;
}
