import { type Rng, type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { applyToSubset, childRng } from './per-sample.js';

/**
 * Applies one of `ops` to each sample, chosen per sample with probabilities proportional to
 * `weights` (default equal; torchvision's `RandomChoice`). Each op runs once, on its own samples,
 * and must keep their size.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const distort = oneOf([randomSolarize({ p: 1 }), randomEqualize({ p: 1 })], [1, 2]);
 * @throws if `ops` is empty or the weights are not non-negative numbers (not all zero), one per op.
 */
export function oneOf(ops: Augmentation[], weights?: number[]): Augmentation {
  if (ops.length === 0) throw new Error('oneOf: needs at least one augmentation');
  const w = weights ?? ops.map(() => 1);
  if (w.length !== ops.length || !w.every((x) => Number.isFinite(x) && x >= 0) || w.every((x) => x === 0)) {
    throw new Error(`oneOf: weights must be ${ops.length} non-negative numbers, not all zero; got [${w}]`);
  }
  const total = w.reduce((a, b) => a + b, 0);
  return (images: Tensor4D, rng: Rng) => {
    const choices = Array.from({ length: images.shape[0] }, () => {
      let u = rng.next() * total;
      for (let i = 0; i < w.length; i++) {
        u -= w[i] as number;
        if (u < 0 && (w[i] as number) > 0) return i;
      }
      return w.findLastIndex((x) => x > 0);
    });
    const streams = ops.map((_, i) => childRng(rng, `oneOf-${i}`));
    let result = tf.clone(images);
    ops.forEach((op, i) => {
      const mask = choices.map((c) => c === i);
      if (!mask.some(Boolean)) return;
      const next = applyToSubset(result, mask, (subset) => op(subset, streams[i] as Rng));
      result.dispose();
      result = next;
    });
    return result;
  };
}
