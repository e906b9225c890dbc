/**
 * word2vec's frequent-word subsampling (Mikolov et al. 2013, arXiv:1310.4546; the formula of the
 * reference C code, also gensim's): a token with relative frequency f is kept with probability
 * min(1, (√(f/t) + 1) · t/f), t = `threshold` (1e-3 by default; the paper's 1e-5 suits
 * billion-word corpora). Rare words are always kept; "the" is mostly dropped.
 *
 * @returns keep probabilities per id.
 * @throws if the threshold is not positive or no count is positive.
 */
export function subsamplingKeepProbabilities(counts: ArrayLike<number>, threshold = 1e-3): Float64Array {
  if (!(threshold > 0)) throw new Error(`subsamplingKeepProbabilities: threshold must be positive, got ${threshold}`);
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  if (!(total > 0))
    throw new Error('subsamplingKeepProbabilities: every count is 0; count the corpus first (tokenCounts)');
  const keep = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const f = (counts[i] as number) / total;
    keep[i] = f > 0 ? Math.min(1, (Math.sqrt(f / threshold) + 1) * (threshold / f)) : 1;
  }
  return keep;
}
