import { describe, expect, it } from 'vitest';
import { accuracyInterval, wilsonInterval, Z_95 } from './wilson-interval.js';

describe('wilsonInterval', () => {
  it('gives the Wilson score intervals of Newcombe 1998 (Statistics in Medicine 17:857, Table II, method 3)', () => {
    // successes, trials, lower, upper — to the table's 4 decimals.
    const table: Array<[number, number, number, number]> = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
      [29, 29, 0.883, 1],
    ];
    for (const [successes, trials, lower, upper] of table) {
      const interval = wilsonInterval(successes, trials);
      expect(interval.lower).toBeCloseTo(lower, 4);
      expect(interval.upper).toBeCloseTo(upper, 4);
    }
  });

  it('matches the formula worked by hand for 5 of 10', () => {
    // p = 0.5, z² = 3.841459; centre (p + z²/2n)/(1 + z²/n) = 0.5;
    // half-width z/(1 + z²/n)·√(p(1−p)/n + z²/4n²) = 1.959964/1.384146·√(0.025 + 0.009604) = 0.263407.
    const { lower, upper } = wilsonInterval(5, 10);
    expect(lower).toBeCloseTo(0.236593, 6);
    expect(upper).toBeCloseTo(0.763407, 6);
    expect(Z_95).toBeCloseTo(1.959964, 6);
  });

  it('is narrower for more trials at the same proportion, and wider for a larger z', () => {
    const small = wilsonInterval(55, 60);
    const large = wilsonInterval(550, 600);
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
    const wide = wilsonInterval(55, 60, 2.575829);
    expect(wide.lower).toBeLessThan(small.lower);
    expect(wide.upper).toBeGreaterThan(small.upper);
  });

  it('takes a fractional count (a mean over seeds) and an accuracy', () => {
    expect(accuracyInterval(55 / 60, 60)).toEqual(wilsonInterval(55, 60));
    const between = wilsonInterval(55.5, 60);
    expect(between.lower).toBeGreaterThan(wilsonInterval(55, 60).lower);
    expect(between.lower).toBeLessThan(wilsonInterval(56, 60).lower);
  });

  it('names the bad input', () => {
    expect(() => wilsonInterval(3, 0)).toThrow('trials must be a positive integer, got 0');
    expect(() => wilsonInterval(3, 2.5)).toThrow('trials must be a positive integer, got 2.5');
    expect(() => wilsonInterval(11, 10)).toThrow('successes must be in [0, 10] (the trials), got 11');
    expect(() => wilsonInterval(-1, 10)).toThrow('successes must be in [0, 10]');
    expect(() => wilsonInterval(1, 10, 0)).toThrow('z must be a positive number, got 0');
  });
});
