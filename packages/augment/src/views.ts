import { tf } from '@selfsup/backend';
import type { Augmentation, ViewMaker } from './augmentation.js';
import { childRng, owned } from './per-sample.js';

/**
 * One view per pipeline, in order, each from its own random stream: the general form of
 * {@link twoViews} (e.g. several global and local crops).
 *
 * Shapes: `[N, H, W, C]` → one tensor per pipeline.
 *
 * @example const [a, b, c] = views([pipelineA, pipelineB, pipelineC])(images, rng);
 * @throws if the list is empty or holds something other than functions.
 */
export function views(pipelines: Augmentation[]): ViewMaker {
  if (pipelines.length === 0 || !pipelines.every((p) => typeof p === 'function')) {
    throw new Error('views: needs a non-empty list of augmentations (functions)');
  }
  return (images, rng) => {
    const streams = pipelines.map((_, i) => childRng(rng, `view-${i + 1}`));
    const out: ReturnType<ViewMaker> = [];
    try {
      pipelines.forEach((pipeline, i) => {
        out.push(owned(pipeline(images, streams[i] as typeof rng), images));
      });
    } catch (error) {
      tf.dispose(out);
      throw error;
    }
    return out;
  };
}
