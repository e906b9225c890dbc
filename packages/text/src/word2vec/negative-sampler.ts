import type { Rng } from '@selfsup/backend';

/** Draws token ids from a fixed distribution in O(1) each (Walker's alias method). */
export interface NegativeSampler {
  /** P(id), for inspection and tests. */
  readonly probabilities: Float64Array;
  sample(rng: Rng): number;
}

/**
 * word2vec's noise distribution (Mikolov et al. 2013, arXiv:1310.4546): P(w) ∝ count(w)^power
 * (power 0.75), sampled with Walker's alias method. Ids with count 0 are never drawn.
 *
 * @throws if no id has a positive count.
 */
export function createNegativeSampler(counts: ArrayLike<number>, power = 0.75): NegativeSampler {
  const n = counts.length;
  const probabilities = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const count = counts[i] as number;
    if (!(count >= 0)) throw new Error(`createNegativeSampler: count ${count} of id ${i} is not a non-negative number`);
    const weight = count > 0 ? count ** power : 0;
    probabilities[i] = weight;
    total += weight;
  }
  if (total === 0) throw new Error('createNegativeSampler: every count is 0; count the corpus first (tokenCounts)');
  for (let i = 0; i < n; i++) probabilities[i] = (probabilities[i] as number) / total;
  // Alias table (Vose 1991): each bucket holds its own id with probability `accept`, else `alias`.
  const accept = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = Float64Array.from(probabilities, (p) => p * n);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => {
    (p < 1 ? small : large).push(i);
  });
  while (small.length > 0 && large.length > 0) {
    const s = small.pop() as number;
    const l = large.pop() as number;
    accept[s] = scaled[s] as number;
    alias[s] = l;
    scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) accept[i] = 1;
  return {
    probabilities,
    sample(rng) {
      const u = rng.next() * n;
      const bucket = Math.floor(u);
      return u - bucket < (accept[bucket] as number) ? bucket : (alias[bucket] as number);
    },
  };
}
