import { type Rng, type Tensor4D, tf } from '@selfsup/backend';
import { type Augmentation, expectProbability } from './augmentation.js';
import { applyToSubset, drawMask } from './per-sample.js';

/** Runs augmentations in order, each with its own forked random stream. */
export function compose(...ops: Augmentation[]): Augmentation {
  return (images, rng) => {
    let current = images;
    ops.forEach((op, i) => {
      const next = op(current, rng.fork(`compose-${i}`));
      if (current !== images) current.dispose();
      current = next;
    });
    return current === images ? tf.clone(images) : current;
  };
}

/** Applies `op` to each sample with probability p (the others pass unchanged). */
export function randomApply(p: number, op: Augmentation): Augmentation {
  expectProbability('randomApply', 'p', p);
  return (images, rng) => {
    const mask = drawMask(rng, images.shape[0], p);
    const inner = rng.fork('randomApply');
    return applyToSubset(images, mask, (subset) => op(subset, inner));
  };
}

/** Applies one of `ops` to each sample, chosen with the given weights (default equal). */
export function oneOf(ops: Augmentation[], weights?: number[]): Augmentation {
  if (ops.length === 0) throw new Error('oneOf: needs at least one augmentation');
  const w = weights ?? ops.map(() => 1);
  if (w.length !== ops.length || w.some((x) => !(x >= 0)) || w.every((x) => x === 0)) {
    throw new Error(`oneOf: weights must be ${ops.length} non-negative numbers, not all zero; got [${w}]`);
  }
  const total = w.reduce((a, b) => a + b, 0);
  return (images: Tensor4D, rng: Rng) => {
    const choices = Array.from({ length: images.shape[0] }, () => {
      let u = rng.next() * total;
      for (let i = 0; i < w.length; i++) {
        u -= w[i] as number;
        if (u < 0) return i;
      }
      return w.length - 1;
    });
    let result = tf.clone(images);
    ops.forEach((op, i) => {
      const mask = choices.map((c) => c === i);
      if (!mask.some(Boolean)) return;
      const stream = rng.fork(`oneOf-${i}`);
      const next = applyToSubset(result, mask, (subset) => op(subset, stream));
      result.dispose();
      result = next;
    });
    return result;
  };
}
