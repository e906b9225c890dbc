import { type Rng, type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { expectImageBatch } from './validation.js';

/** One Bernoulli(p) draw per sample, in order. */
export function drawMask(rng: Rng, count: number, p: number): boolean[] {
  return Array.from({ length: count }, () => rng.bernoulli(p));
}

/** A per-sample factor tensor `[N, 1, 1, 1]` that broadcasts over a batch (fast on every backend). */
export function perSample(values: readonly number[]): Tensor4D {
  return tf.tensor4d(values as number[], [values.length, 1, 1, 1], 'float32');
}

/**
 * A child stream for one step of a pipeline. It advances `rng` by one draw (so calling a pipeline
 * twice with one rng gives new parameters) and is labelled, so adding draws to one op never shifts
 * the draws of another.
 */
export function childRng(rng: Rng, label: string): Rng {
  return rng.fork(`${label}:${rng.nextUint32()}`);
}

/**
 * Per-sample choice between two batches of the same shape: rows where `mask` is true come from
 * `chosen`, the others from `fallback`. Exact (x·1 + y·0 = x for finite values) and, unlike `where`
 * with a broadcast condition, fast on wasm.
 */
export function selectSamples<T extends Tensor>(mask: readonly boolean[], chosen: T, fallback: T): T {
  if (mask.every(Boolean)) return tf.clone(chosen);
  if (!mask.some(Boolean)) return tf.clone(fallback);
  return tf.tidy(() => {
    const shape = [mask.length, ...new Array<number>(chosen.rank - 1).fill(1)];
    const keep = tf.tensor(
      mask.map((m) => (m ? 1 : 0)),
      shape,
      'float32',
    );
    const drop = tf.tensor(
      mask.map((m) => (m ? 0 : 1)),
      shape,
      'float32',
    );
    return tf.add(tf.mul(chosen, keep), tf.mul(fallback, drop)) as T;
  });
}

/**
 * An augmentation applied to each sample with probability `p` (torchvision's `Random…` ops):
 * checks the batch, draws one Bernoulli(p) per sample, runs `transform` once on the whole batch
 * (inside a tidy; it may draw from `rng`, after the mask) and keeps its rows for the chosen
 * samples ({@link selectSamples}). A batch with no sample chosen, or one `unchanged` says the op
 * leaves as it is, comes back as a copy, and `transform` does not run.
 *
 * @example
 * return perSampleAugmentation('randomEqualize', p, (images) => equalizeImages(images));
 */
export function perSampleAugmentation(
  op: string,
  p: number,
  transform: (images: Tensor4D, rng: Rng) => Tensor4D,
  options: { kind?: 'any' | 'color'; unchanged?: (images: Tensor4D) => boolean } = {},
): Augmentation {
  return (images, rng) => {
    expectImageBatch(op, images, options.kind);
    const mask = drawMask(rng, images.shape[0], p);
    if (!mask.some(Boolean) || options.unchanged?.(images) === true) return tf.clone(images);
    return tf.tidy(() => selectSamples(mask, transform(images, rng), images));
  };
}

/**
 * Runs `op` only on the samples where `mask` is true and puts the results back in place (the
 * others pass through unchanged): the batch is never split into per-sample tensors, and `op` runs
 * once on the chosen rows. For ops that cost more than a blend (blur, hue).
 */
export function applyToSubset(
  images: Tensor4D,
  mask: readonly boolean[],
  op: (subset: Tensor4D) => Tensor4D,
): Tensor4D {
  const chosen = mask.flatMap((m, i) => (m ? [i] : []));
  if (chosen.length === 0) return tf.clone(images);
  if (chosen.length === mask.length) return owned(op(images), images);
  return tf.tidy(() => {
    const changed = op(tf.gather(images, chosen) as Tensor4D);
    return scatterRows(images, chosen, changed);
  });
}

/** `images` with rows `rows` replaced by the rows of `updates` (one copy of the batch). */
export function scatterRows<T extends Tensor>(images: T, rows: readonly number[], updates: T): T {
  return tf.tensorScatterUpdate(images, tf.tensor2d(rows as number[], [rows.length, 1], 'int32'), updates) as T;
}

/** `output`, or a copy of it when an op handed back its own input (so callers may dispose it). */
export function owned<T extends Tensor>(output: T, input: Tensor): T {
  return output === input ? tf.clone(output) : output;
}

/** Python's `round` (half to even), which torchvision's integer crop sizes use. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}
