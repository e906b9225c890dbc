// Helpers shared by this package's tests (not built into dist: `src/**/test-*.ts` is excluded).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertNoTensorLeak, createRng, type Rng, type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import { expect } from 'vitest';
import type { Augmentation, ViewMaker } from './augmentation.js';

/** The committed test images (see `test-data/make-test-images.ts`). */
export const TEST_DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../test-data');
export const GOOD_IMAGES = join(TEST_DATA, 'images');
export const BAD_IMAGES = join(TEST_DATA, 'bad');
export const SPECIAL_IMAGES = join(TEST_DATA, 'special');
export const CORRUPT_IMAGES = join(TEST_DATA, 'corrupt');

/** A stand-in augmentation for the combinators' tests: adds 0.1 to every pixel, capped at 1. */
export const brighten: Augmentation = (images) => tf.tidy(() => tf.minimum(tf.add(images, 0.1), 1) as Tensor4D);

/** A batch of uniform random pixels `[n, h, w, c]` in [0, 1). */
export function randomBatch(n: number, h: number, w: number, c: number, seed = 1): Tensor4D {
  return createRng(seed).uniformTensor([n, h, w, c]) as Tensor4D;
}

/** The values of a tensor as a plain array. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

/** max |a − b| over all elements. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

/** Per sample, whether `output` equals `input` exactly. */
export function unchangedSamples(input: Tensor4D, output: Tensor4D): boolean[] {
  return tf.tidy(() => Array.from(tf.all(tf.equal(input, output), [1, 2, 3]).dataSync()).map(Boolean));
}

/** Expects `hits` out of `trials` to match probability p within 4 binomial standard deviations. */
export function expectRate(hits: number, trials: number, p: number): void {
  const tolerance = 4 * Math.sqrt((p * (1 - p)) / trials) + 1e-9;
  expect(Math.abs(hits / trials - p), `rate ${hits}/${trials} vs p = ${p}`).toBeLessThanOrEqual(tolerance);
}

/** Expects every value in [0, 1]. */
export function expectUnitRange(t: Tensor): void {
  const [low, high] = tf.tidy(() => [tf.min(t).dataSync()[0] as number, tf.max(t).dataSync()[0] as number]);
  expect(low).toBeGreaterThanOrEqual(0);
  expect(high).toBeLessThanOrEqual(1);
}

/**
 * The contract every augmentation keeps: the expected shape (by default the input's), values in
 * [0, 1], the input left alive, the same batch for the same seed (bit for bit), another batch for another seed (unless
 * `deterministic`), a different batch on a second call with one rng, and no leaked tensors.
 */
export async function expectAugmentationContract(
  name: string,
  op: Augmentation,
  images: Tensor4D,
  shape: readonly number[] = images.shape,
  options: { deterministic?: boolean; range?: boolean } = {},
): Promise<void> {
  const out = op(images, createRng(11));
  expect(out.shape).toEqual(shape);
  expect(out.dtype).toBe('float32');
  expect(images.isDisposed).toBe(false);
  if (options.range ?? true) expectUnitRange(out);
  const again = op(images, createRng(11));
  expect(values(again)).toEqual(values(out));
  if (!(options.deterministic ?? false)) {
    const other = op(images, createRng(12));
    expect(values(other)).not.toEqual(values(out));
    const rng: Rng = createRng(13);
    const first = op(images, rng);
    const second = op(images, rng);
    expect(values(second), `${name}: a second call with one rng draws new parameters`).not.toEqual(values(first));
    tf.dispose([other, first, second]);
  }
  tf.dispose([out, again]);
  await assertNoTensorLeak(name, () => op(images, createRng(14)));
}

/** As {@link expectAugmentationContract} for view makers: shapes per view, range, determinism, leaks. */
export async function expectViewMakerContract(
  name: string,
  makeViews: ViewMaker,
  images: Tensor4D,
  shapes: number[][],
): Promise<void> {
  const out = makeViews(images, createRng(21));
  expect(out.map((t) => t.shape)).toEqual(shapes);
  for (const view of out) expectUnitRange(view);
  const again = makeViews(images, createRng(21));
  again.forEach((view, i) => {
    expect(values(view)).toEqual(values(out[i] as Tensor4D));
  });
  if (out.length > 1 && out[0]?.shape.join() === out[1]?.shape.join()) {
    expect(values(out[0] as Tensor4D)).not.toEqual(values(out[1] as Tensor4D));
  }
  tf.dispose([...out, ...again]);
  await assertNoTensorLeak(name, () => makeViews(images, createRng(22)));
}
