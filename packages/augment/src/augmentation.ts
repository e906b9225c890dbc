import type { Rng, Tensor4D } from '@selfsup/backend';

/**
 * An augmentation: maps a batch [N, H, W, C] with values in [0, 1] to an augmented batch, drawing
 * every random parameter per sample from `rng` (same rng state → same batch). It does not dispose
 * its input; the result is a new tensor the caller owns.
 */
export type Augmentation = (images: Tensor4D, rng: Rng) => Tensor4D;

/** Checks the input every augmentation expects: rank 4 with 1 or 3 channels. */
export function expectImageBatch(op: string, images: Tensor4D): void {
  if (images.rank !== 4) throw new Error(`${op}: images must be [N, H, W, C]; got [${images.shape}]`);
  const channels = images.shape[3];
  if (channels !== 1 && channels !== 3) throw new Error(`${op}: images must have 1 or 3 channels; got ${channels}`);
}

/** Checks that a probability is in [0, 1]. */
export function expectProbability(op: string, name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`${op}: ${name} must be a probability in [0, 1]; got ${p}`);
}

/** Checks a [low, high] range with low ≤ high (and optional bounds). */
export function expectRange(
  op: string,
  name: string,
  range: readonly [number, number],
  min = Number.NEGATIVE_INFINITY,
): void {
  if (!(range[0] <= range[1]) || range[0] < min)
    throw new Error(
      `${op}: ${name} must be [low, high] with ${min === Number.NEGATIVE_INFINITY ? '' : `${min} ≤ `}low ≤ high; got [${range}]`,
    );
}
