import { type Rng, type Tensor, type Tensor4D, tf } from '@selfsup/backend';

/** One Bernoulli(p) draw per sample, in order. */
export function drawMask(rng: Rng, count: number, p: number): boolean[] {
  return Array.from({ length: count }, () => rng.bernoulli(p));
}

/** Per-sample choice: rows where `mask` is true come from `chosen`, the others from `fallback`. */
export function selectSamples<T extends Tensor>(mask: readonly boolean[], chosen: T, fallback: T): T {
  if (mask.every(Boolean)) return tf.clone(chosen);
  if (!mask.some(Boolean)) return tf.clone(fallback);
  return tf.tidy(() => {
    // chosen·m + fallback·(1 − m) with a float mask [N, 1, …]: broadcasting arithmetic is fast on
    // every backend, unlike `where` with a broadcast bool condition (a bool Tile on wasm).
    const shape = [mask.length, ...new Array<number>(chosen.rank - 1).fill(1)];
    const m = tf.tensor(
      mask.map((x) => (x ? 1 : 0)),
      shape,
      'float32',
    );
    return tf.add(tf.mul(chosen, m), tf.mul(fallback, tf.sub(1, m))) as T;
  });
}

/** A per-sample factor tensor [N, 1, 1, 1] (broadcasts over a batch of images). */
export function perSample(values: readonly number[]): Tensor4D {
  return tf.tensor4d(values as number[], [values.length, 1, 1, 1]);
}

/**
 * Applies `op` only to the samples where `mask` is true: gathers them, runs `op`, and scatters the
 * results back in place (the others pass through unchanged). Cheaper than running `op` on the
 * whole batch when p is small.
 */
export function applyToSubset(
  images: Tensor4D,
  mask: readonly boolean[],
  op: (subset: Tensor4D) => Tensor4D,
): Tensor4D {
  const chosen = mask.flatMap((m, i) => (m ? [i] : []));
  if (chosen.length === 0) return tf.clone(images);
  if (chosen.length === mask.length) return op(images);
  return tf.tidy(() => {
    const others = mask.flatMap((m, i) => (m ? [] : [i]));
    const changed = op(tf.gather(images, chosen) as Tensor4D);
    const kept = tf.gather(images, others);
    // Inverse permutation of [chosen, others] puts every row back at its index.
    const order = [...chosen, ...others];
    const inverse = new Array<number>(order.length);
    order.forEach((row, position) => {
      inverse[row] = position;
    });
    return tf.gather(tf.concat([changed, kept]), inverse) as Tensor4D;
  });
}
