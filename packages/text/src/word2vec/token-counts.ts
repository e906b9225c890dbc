/**
 * How often each id occurs in token sequences (ids ≥ 0 and < vocabSize; others are ignored):
 * the frequencies word2vec's subsampling and negative sampling use, and the unigram baseline.
 *
 * @example
 * const counts = tokenCounts(blocks, tokenizer.vocabSize);
 */
export function tokenCounts(sequences: Iterable<ArrayLike<number>>, vocabSize: number): Float64Array {
  const counts = new Float64Array(vocabSize);
  for (const sequence of sequences) {
    for (let i = 0; i < sequence.length; i++) {
      const id = sequence[i] as number;
      if (id >= 0 && id < vocabSize) counts[id] = (counts[id] as number) + 1;
    }
  }
  return counts;
}
