import { describe, expect, it } from 'vitest';
import { maxHammingPermutations } from './max-hamming-permutations.js';

function hamming(a: readonly number[], b: readonly number[]): number {
  return a.reduce((distance, value, i) => distance + (value === b[i] ? 0 : 1), 0);
}

function allPermutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return allPermutations(n - 1).flatMap((rest) =>
    Array.from({ length: n }, (_, position) => [...rest.slice(0, position), n - 1, ...rest.slice(position)]),
  );
}

describe('maxHammingPermutations', () => {
  it('returns distinct permutations with the minimal distance it promises, the same set for the same seed', () => {
    const set = maxHammingPermutations({ elements: 9, count: 100, seed: 7 });
    expect(set.permutations).toHaveLength(100);
    for (const permutation of set.permutations) expect([...permutation].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    let minimum = 9;
    let total = 0;
    for (let a = 0; a < 100; a++) {
      for (let b = a + 1; b < 100; b++) {
        const distance = hamming(set.permutations[a] as number[], set.permutations[b] as number[]);
        minimum = Math.min(minimum, distance);
        total += distance;
      }
    }
    expect(set.minimumDistance).toBe(minimum);
    expect(minimum).toBeGreaterThanOrEqual(6);
    expect(set.meanDistance).toBeCloseTo(total / 4950, 10);
    expect(maxHammingPermutations({ elements: 9, count: 100, seed: 7 })).toEqual(set);
    expect(maxHammingPermutations({ elements: 9, count: 100, seed: 8 }).permutations).not.toEqual(set.permutations);
  });

  it('is the greedy max-min choice: each pick is as far from the earlier ones as any candidate', () => {
    const candidates = allPermutations(5);
    const { permutations } = maxHammingPermutations({ elements: 5, count: 20, seed: 3 });
    for (let k = 1; k < permutations.length; k++) {
      const earlier = permutations.slice(0, k);
      const nearest = (p: readonly number[]) => Math.min(...earlier.map((q) => hamming(p, q)));
      const best = Math.max(...candidates.map(nearest));
      expect(nearest(permutations[k] as number[])).toBe(best);
    }
  });

  it('samples candidates beyond 9 elements, and rejects impossible requests', () => {
    const set = maxHammingPermutations({ elements: 16, count: 12, seed: 1, candidates: 500 });
    expect(set.permutations).toHaveLength(12);
    expect(set.minimumDistance).toBeGreaterThanOrEqual(12);
    expect(() => maxHammingPermutations({ elements: 3, count: 7, seed: 0 })).toThrow(
      'maxHammingPermutations: asked for 7 permutations of 3 elements, but there are only 6 candidates',
    );
    expect(() => maxHammingPermutations({ elements: 9, count: 0, seed: 0 })).toThrow(
      'count must be a positive integer',
    );
  });
});
