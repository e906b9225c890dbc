import { createRng } from '@selfsup/backend';

export interface MaxHammingPermutationsOptions {
  /** Elements permuted (9 for a 3×3 jigsaw). */
  elements: number;
  /** Permutations in the set (Noroozi & Favaro use 100 or 1000). */
  count: number;
  /** Seeds the first pick and the tie-breaks: the same seed gives the same set. */
  seed: number | string;
  /**
   * Candidates to choose from when `elements`! is above 362 880 (9!): that many distinct random
   * permutations, drawn from the seed (default 100 000). Up to 9 elements every permutation is a
   * candidate.
   */
  candidates?: number;
}

/** A permutation set and the distances it guarantees. */
export interface PermutationSet {
  /** The permutations, in the order they were picked; `permutations[label][slot]` is an element. */
  permutations: number[][];
  /** The smallest Hamming distance between two permutations of the set. */
  minimumDistance: number;
  /** The mean Hamming distance over all pairs. */
  meanDistance: number;
}

function factorial(n: number): number {
  let result = 1;
  for (let i = 2; i <= n; i++) result *= i;
  return result;
}

/** Every permutation of 0..n-1 in lexicographic order, packed n bytes each. */
function allPermutations(n: number): Uint8Array {
  const total = factorial(n);
  const packed = new Uint8Array(total * n);
  const current = Array.from({ length: n }, (_, i) => i);
  for (let index = 0; index < total; index++) {
    packed.set(current, index * n);
    // Next lexicographic permutation (Narayana Pandita).
    let i = n - 2;
    while (i >= 0 && (current[i] as number) > (current[i + 1] as number)) i--;
    if (i < 0) break;
    let j = n - 1;
    while ((current[j] as number) < (current[i] as number)) j--;
    [current[i], current[j]] = [current[j] as number, current[i] as number];
    current.splice(i + 1, n - i - 1, ...current.slice(i + 1).reverse());
  }
  return packed;
}

function randomPermutations(n: number, count: number, seed: number | string): Uint8Array {
  const rng = createRng(seed).fork('candidates');
  const packed = new Uint8Array(count * n);
  const seen = new Set<string>();
  let filled = 0;
  while (filled < count) {
    const permutation = rng.permutation(n);
    const key = permutation.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    packed.set(permutation, filled * n);
    filled++;
  }
  return packed;
}

function hamming(packed: Uint8Array, a: number, b: number, n: number): number {
  let distance = 0;
  for (let k = 0; k < n; k++) if (packed[a * n + k] !== packed[b * n + k]) distance++;
  return distance;
}

/**
 * The number of candidates {@link maxHammingPermutations} chooses from, after checking that the
 * request can be met — without the search, so a task can check its options when made and search
 * on first use.
 *
 * @throws if `count` exceeds the number of candidates, or a size is not a positive integer.
 */
export function permutationCandidates(options: MaxHammingPermutationsOptions): number {
  const { elements: n, count } = options;
  if (!Number.isInteger(n) || n < 2 || n > 64) {
    throw new Error(`maxHammingPermutations: elements must be an integer in [2, 64]; got ${n}`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`maxHammingPermutations: count must be a positive integer; got ${count}`);
  }
  const exhaustive = n <= 9;
  const candidateCount = exhaustive ? factorial(n) : (options.candidates ?? 100_000);
  if (!exhaustive && (!Number.isInteger(candidateCount) || candidateCount < 1)) {
    throw new Error(`maxHammingPermutations: candidates must be a positive integer; got ${candidateCount}`);
  }
  if (count > candidateCount) {
    throw new Error(
      `maxHammingPermutations: asked for ${count} permutations of ${n} elements, but there are only ${candidateCount} candidates`,
    );
  }
  return candidateCount;
}

/**
 * A set of permutations chosen greedily for maximal Hamming distance (Noroozi & Favaro 2016,
 * arXiv:1603.09246, Algorithm 1): start from a random permutation, then repeatedly add the
 * candidate whose smallest distance to the set so far is largest (ties broken at random), so the
 * puzzles differ as much as possible and the labels are hard to confuse. The minimum over the
 * set is the guarantee (`minimumDistance`); for 100 permutations of 9 tiles it is 6 or more.
 *
 * @example
 * const { permutations, minimumDistance } = maxHammingPermutations({ elements: 9, count: 100, seed: 0 });
 * @throws if `count` exceeds the number of candidates, or a size is not a positive integer.
 */
export function maxHammingPermutations(options: MaxHammingPermutationsOptions): PermutationSet {
  const { elements: n, count } = options;
  const candidateCount = permutationCandidates(options);
  const exhaustive = n <= 9;
  const packed = exhaustive ? allPermutations(n) : randomPermutations(n, candidateCount, options.seed);
  const rng = createRng(options.seed).fork('picks');
  const nearest = new Uint8Array(candidateCount).fill(255);
  const chosen: number[] = [rng.int(candidateCount)];
  while (chosen.length < count) {
    const last = chosen[chosen.length - 1] as number;
    let best = 0;
    let ties = 0;
    for (let candidate = 0; candidate < candidateCount; candidate++) {
      let distance = 0;
      const offset = candidate * n;
      const lastOffset = last * n;
      for (let k = 0; k < n; k++) if (packed[offset + k] !== packed[lastOffset + k]) distance++;
      const value = Math.min(nearest[candidate] as number, distance);
      nearest[candidate] = value;
      if (value > best) {
        best = value;
        ties = 1;
      } else if (value === best) {
        ties++;
      }
    }
    // The `ties`-way tie is broken by one seeded draw: walk to the drawn one.
    let pick = rng.int(ties);
    for (let candidate = 0; candidate < candidateCount; candidate++) {
      if (nearest[candidate] === best && pick-- === 0) {
        chosen.push(candidate);
        break;
      }
    }
  }
  let minimumDistance = n;
  let total = 0;
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      const distance = hamming(packed, chosen[a] as number, chosen[b] as number, n);
      minimumDistance = Math.min(minimumDistance, distance);
      total += distance;
    }
  }
  return {
    permutations: chosen.map((index) => Array.from(packed.subarray(index * n, (index + 1) * n))),
    minimumDistance: count > 1 ? minimumDistance : n,
    meanDistance: count > 1 ? total / ((count * (count - 1)) / 2) : n,
  };
}
