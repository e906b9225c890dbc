import type { Tensor4D } from '@selfsup/backend';

/**
 * Checks the input every augmentation expects: a float32 batch `[N, H, W, C]`; `color` ops also
 * require C = 1 or 3.
 */
export function expectImageBatch(op: string, images: Tensor4D, kind: 'any' | 'color' = 'any'): void {
  if (images.rank !== 4) throw new Error(`${op}: images must be a batch [N, H, W, C]; got shape [${images.shape}]`);
  if (images.dtype !== 'float32') throw new Error(`${op}: images must be float32 in [0, 1]; got ${images.dtype}`);
  const channels = images.shape[3];
  if (kind === 'color' && channels !== 1 && channels !== 3) {
    throw new Error(`${op}: images must have 1 (grayscale) or 3 (RGB) channels; got ${channels}`);
  }
}

/** Checks that a probability is in [0, 1]. */
export function expectProbability(op: string, name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`${op}: ${name} must be a probability in [0, 1]; got ${p}`);
}

/** Checks a `[low, high]` range: finite, low ≤ high, and low ≥ `min` (inclusive) when given. */
export function expectRange(op: string, name: string, range: readonly number[], min?: number, max?: number): void {
  const [low, high] = range as [number, number];
  const ok =
    range.length === 2 &&
    Number.isFinite(low) &&
    Number.isFinite(high) &&
    low <= high &&
    (min === undefined || low >= min) &&
    (max === undefined || high <= max);
  if (!ok) {
    const bounds = `${min === undefined ? '' : `${min} ≤ `}low ≤ high${max === undefined ? '' : ` ≤ ${max}`}`;
    throw new Error(`${op}: ${name} must be [low, high] with ${bounds}; got [${range}]`);
  }
}

/** Checks an output size `[height, width]` of positive integers. */
export function expectSize(op: string, name: string, size: readonly number[]): void {
  if (size.length !== 2 || !size.every((side) => Number.isInteger(side) && side > 0)) {
    throw new Error(`${op}: ${name} must be [height, width] of positive integers; got [${size}]`);
  }
}

/** Checks a finite number ≥ `min`. */
export function expectAtLeast(op: string, name: string, value: number, min: number): void {
  if (!(Number.isFinite(value) && value >= min))
    throw new Error(`${op}: ${name} must be a number ≥ ${min}; got ${value}`);
}

/** Checks one finite factor ≥ 0 per sample. */
export function expectFactors(op: string, images: Tensor4D, factors: readonly number[], min = 0): void {
  if (factors.length !== images.shape[0] || !factors.every((f) => Number.isFinite(f) && f >= min)) {
    throw new Error(`${op}: needs one factor ≥ ${min} per sample (${images.shape[0]}); got [${factors}]`);
  }
}
