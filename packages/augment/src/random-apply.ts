import type { Augmentation } from './augmentation.js';
import { applyToSubset, childRng, drawMask } from './per-sample.js';
import { expectProbability } from './validation.js';

/**
 * Applies `op` to each sample with probability p; the others pass through unchanged
 * (torchvision's `RandomApply`, decided per sample). `op` runs once, on the chosen samples only,
 * and must keep their size.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const maybeBlur = randomApply(0.5, gaussianBlur({ kernelSize: 9, p: 1 }));
 * @throws if p is not a probability.
 */
export function randomApply(p: number, op: Augmentation): Augmentation {
  expectProbability('randomApply', 'p', p);
  return (images, rng) => {
    const mask = drawMask(rng, images.shape[0], p);
    const inner = childRng(rng, 'randomApply');
    return applyToSubset(images, mask, (subset) => {
      const out = op(subset, inner);
      if (out.shape.join() !== subset.shape.join()) {
        out.dispose();
        throw new Error(`randomApply: op must keep the shape [${subset.shape}]; got [${out.shape}]`);
      }
      return out;
    });
  };
}
