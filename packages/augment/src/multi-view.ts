import type { Rng, Tensor4D } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';

/** Makes several views of a batch. */
export type ViewMaker = (images: Tensor4D, rng: Rng) => Tensor4D[];

/**
 * Two views of every image, each from its own random stream (SimCLR, BYOL, MoCo, Barlow Twins):
 * `first` makes view 1, `second` (default `first`) view 2 — BYOL's asymmetric pipelines are two
 * different augmentations.
 * @example const [v1, v2] = twoViews(simclrPreset({ size: [32, 32] }))(images, rng);
 */
export function twoViews(first: Augmentation, second: Augmentation = first): ViewMaker {
  return (images, rng) => [first(images, rng.fork('view-1')), second(images, rng.fork('view-2'))];
}

/** Views from a list of pipelines, in order (multi-crop: global views first, then local ones). */
export function views(pipelines: Augmentation[]): ViewMaker {
  return (images, rng) => pipelines.map((pipeline, i) => pipeline(images, rng.fork(`view-${i + 1}`)));
}
