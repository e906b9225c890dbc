import { describe, expect, it } from 'vitest';
import { majorityAccuracy } from './majority-accuracy.js';

describe('majorityAccuracy', () => {
  it('scores always answering the most frequent training class, the smaller label on a tie', () => {
    expect(majorityAccuracy([0, 1, 1], [1, 0, 1, 1])).toBe(0.75);
    expect(majorityAccuracy([2, 0, 0, 2], [2, 0, 0])).toBeCloseTo(2 / 3, 12);
    expect(majorityAccuracy([3], [])).toBe(0);
  });
});
