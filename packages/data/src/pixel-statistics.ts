/** Per-channel mean and standard deviation of pixels, in [0, 1] units. */
export interface PixelStatistics {
  /** [channels] */
  mean: number[];
  /** [channels], at least 1e-6 (a constant channel does not divide by zero). */
  std: number[];
}

/**
 * The per-channel mean and standard deviation of 0–255 pixels stored channels last
 * ([..., channels] row-major: images [N, H, W, C], frame sequences [N, T, H, W, C]), in [0, 1]
 * units — what an encoder's input normalization standardizes with.
 *
 * @example
 * pixelStatistics(Uint8Array.from([0, 255, 255, 255]), 2); // { mean: [0.5, 1], std: [0.5, 1e-6] }
 * @throws if `channels` is not a positive integer or does not divide the pixel count.
 */
export function pixelStatistics(data: Uint8Array, channels: number): PixelStatistics {
  if (!Number.isInteger(channels) || channels < 1 || data.length % channels !== 0) {
    throw new Error(`pixelStatistics: ${data.length} values do not split into pixels of ${channels} channel(s)`);
  }
  const sum = new Array<number>(channels).fill(0);
  const squares = new Array<number>(channels).fill(0);
  for (let i = 0; i < data.length; i++) {
    const value = (data[i] as number) / 255;
    const c = i % channels;
    sum[c] = (sum[c] as number) + value;
    squares[c] = (squares[c] as number) + value * value;
  }
  return statisticsFromSums(sum, squares, data.length / channels);
}

/** Mean and standard deviation per channel from the sums of values and of squares over `pixels` pixels. */
export function statisticsFromSums(
  sum: readonly number[],
  squares: readonly number[],
  pixels: number,
): PixelStatistics {
  const mean = sum.map((s) => s / pixels);
  const std = squares.map((s, c) => Math.sqrt(Math.max(1e-12, s / pixels - (mean[c] as number) ** 2)));
  return { mean, std };
}
