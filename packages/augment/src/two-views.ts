import type { Augmentation, ViewMaker } from './augmentation.js';
import { childRng, owned } from './per-sample.js';

/**
 * Two views of every image, each from its own random stream: `first` makes view 1 and `second`
 * (default `first`) view 2. SimCLR (Chen et al. 2020), MoCo and Barlow Twins use one pipeline
 * twice; BYOL (Grill et al. 2020) uses two different ones.
 *
 * Shapes: `[N, H, W, C]` → `[view1, view2]`, each the pipeline's output.
 *
 * @example const [view1, view2] = twoViews(simclrPreset({ size: [32, 32] }))(images, rng);
 * @throws if a pipeline is not a function.
 */
export function twoViews(first: Augmentation, second: Augmentation = first): ViewMaker {
  if (typeof first !== 'function' || typeof second !== 'function') {
    throw new Error('twoViews: pipelines must be augmentations (functions)');
  }
  return (images, rng) => {
    const streams = [childRng(rng, 'view-1'), childRng(rng, 'view-2')] as const;
    const view1 = owned(first(images, streams[0]), images);
    try {
      return [view1, owned(second(images, streams[1]), images)];
    } catch (error) {
      view1.dispose();
      throw error;
    }
  };
}
