import { describe, expect, it } from 'vitest';
import { pixelStatistics } from './pixel-statistics.js';

describe('pixelStatistics', () => {
  it('gives each channel’s mean and standard deviation in [0, 1] units', () => {
    expect(pixelStatistics(Uint8Array.from([0, 255, 255, 255]), 2)).toEqual({ mean: [0.5, 1], std: [0.5, 1e-6] });
    const gray = Uint8Array.from([0, 51, 102, 153, 204, 255]);
    const { mean, std } = pixelStatistics(gray, 1);
    expect(mean[0]).toBeCloseTo(0.5, 12);
    expect(std[0]).toBeCloseTo(Math.sqrt(0.35 / 3), 12);
  });

  it('refuses values that do not split into pixels', () => {
    expect(() => pixelStatistics(new Uint8Array(5), 3)).toThrow(
      'pixelStatistics: 5 values do not split into pixels of 3 channel(s)',
    );
  });
});
