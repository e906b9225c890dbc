import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { ntXent } from '@selfsup/losses';
import { createProjectionHead, type Head } from '@selfsup/models';
import type { TrainingObjective } from '../training-objective.js';
import {
  applyToViews,
  defaultTwoViews,
  type MethodOptions,
  prepareViews,
  trainableOf,
  type Views,
} from './view-objective.js';

export interface SimclrOptions extends MethodOptions {
  /** NT-Xent temperature (default 0.5). */
  temperature?: number;
  /** Projection head sizes (default: hidden = feature size, output 64; no batch norm, as `../shared/peer`). */
  projection?: { hiddenSize?: number; outputSize?: number; layers?: number; batchNorm?: boolean };
}

/**
 * SimCLR (Chen et al. 2020, arXiv:2002.05709): two augmented views of each image through the
 * encoder and a projection MLP, NT-Xent over the 2N projections.
 * @example const objective = createSimclr({ encoder, temperature: 0.5 });
 */
export function createSimclr(options: SimclrOptions): TrainingObjective<Views> & { projector: Head } {
  const { encoder } = options;
  const viewMaker = options.views ?? defaultTwoViews(encoder);
  const temperature = options.temperature ?? 0.5;
  const projector = createProjectionHead({
    inputSize: encoder.featureSize,
    hiddenSize: options.projection?.hiddenSize ?? encoder.featureSize,
    outputSize: options.projection?.outputSize ?? 64,
    layers: options.projection?.layers ?? 2,
    batchNorm: options.projection?.batchNorm ?? false,
    seed: options.seed ?? 1,
    weightInit: options.headWeightInit,
    name: 'projector',
  });
  const mode = { training: true };
  return {
    id: 'simclr',
    projector,
    modules: { encoder, projector },
    trainableVariables: trainableOf(encoder, projector),
    viewsPerImage: 2,
    prepare: (batch, rng) => prepareViews(viewMaker, batch, rng),
    loss: ({ views }) =>
      tf.tidy(() => {
        const z = applyToViews(views, (x) => projector.apply(encoder.apply(x, mode), mode)) as [Tensor2D, Tensor2D];
        return ntXent(z[0], z[1], { temperature, checkFinite: false }) as Scalar;
      }),
    dispose: () => projector.dispose(),
  };
}
