import { describe, expect, it } from 'vitest';
import { cosineMomentum } from './cosine-momentum.js';

describe('cosineMomentum', () => {
  it("follows BYOL's schedule m = 1 − (1 − m0)·(cos(πk/K) + 1)/2 from m0 to 1", () => {
    expect(cosineMomentum(0.996, 0, 100)).toBeCloseTo(0.996, 12);
    expect(cosineMomentum(0.996, 50, 100)).toBeCloseTo(0.998, 12);
    expect(cosineMomentum(0.996, 25, 100)).toBeCloseTo(1 - (0.004 * (Math.cos(Math.PI / 4) + 1)) / 2, 12);
    expect(cosineMomentum(0.996, 100, 100)).toBe(1);
    expect(cosineMomentum(0.996, 150, 100)).toBe(1); // clamped
    expect(cosineMomentum(0.996, -5, 100)).toBeCloseTo(0.996, 12);
  });
  it('rejects bad arguments', () => {
    expect(() => cosineMomentum(1.2, 0, 10)).toThrow('cosineMomentum: baseMomentum must be in [0, 1]; got 1.2');
    expect(() => cosineMomentum(0.99, 0, 0)).toThrow('cosineMomentum: totalSteps must be a positive number; got 0');
    expect(() => cosineMomentum(0.99, Number.NaN, 10)).toThrow('cosineMomentum: step is NaN');
  });
});
