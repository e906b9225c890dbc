import type { Rng, Tensor4D } from '@selfsup/backend';

/**
 * An augmentation: a plain function from a batch of images to an augmented batch.
 *
 * Input `images` is float32 `[N, H, W, C]` with values in [0, 1]; the result is a new float32
 * tensor `[N, H', W', C]` (same size unless the op resizes) that the caller owns and must dispose.
 * The input is never disposed. Every random parameter is drawn per sample, in JavaScript, from
 * `rng` (never from `Math.random` or an unseeded tfjs op), so the same rng state gives the same
 * batch, bit for bit, on the same backend; a call advances `rng`, so calling twice with one rng
 * gives two different draws. Ops run inside `tf.tidy` and work on every backend.
 *
 * @example
 * const flip: Augmentation = horizontalFlip({ p: 0.5 });
 * const out = flip(images, createRng(0)); // [N, H, W, C]
 */
export type Augmentation = (images: Tensor4D, rng: Rng) => Tensor4D;

/**
 * Makes several views of each image of a batch (SimCLR/BYOL's two views, DINO's multi-crop).
 *
 * Returns one tensor per view, each `[N, H_v, W_v, C]` (sizes may differ between views); the
 * caller owns and disposes them.
 *
 * @example
 * const [view1, view2] = twoViews(simclrPreset({ size: [32, 32] }))(images, rng);
 */
export type ViewMaker = (images: Tensor4D, rng: Rng) => Tensor4D[];
