import { tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { childRng } from './per-sample.js';

/**
 * Chains augmentations (torchvision's `Compose`): each op gets the previous op's output and its
 * own child stream of `rng`, so changing one op never shifts the random draws of the others.
 * Intermediate batches are disposed as soon as the next op has run.
 *
 * Shapes: as the ops; `[N, H, W, C]` → the last op's output.
 *
 * @example
 * const pipeline = compose(randomResizedCrop({ size: [32, 32] }), colorJitter({ brightness: 0.4 }));
 * @throws if an element is not a function.
 */
export function compose(...ops: Augmentation[]): Augmentation {
  ops.forEach((op, i) => {
    if (typeof op !== 'function') throw new Error(`compose: argument ${i} is not an augmentation (a function)`);
  });
  return (images, rng) => {
    const streams = ops.map((_, i) => childRng(rng, `compose-${i}`));
    let current = images;
    ops.forEach((op, i) => {
      const next = op(current, streams[i] as typeof rng);
      if (current !== images && next !== current) current.dispose();
      current = next;
    });
    return current === images ? tf.clone(images) : current;
  };
}
