import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { barlowTwins } from '@selfsup/losses';
import { createMlpHead } from '@selfsup/models';
import type { TrainingObjective } from '../training-objective.js';
import {
  applyToViews,
  defaultTwoViews,
  type MethodOptions,
  prepareViews,
  trainableOf,
  type Views,
} from './view-objective.js';

export interface BarlowTwinsMethodOptions extends MethodOptions {
  /** Redundancy-reduction weight λ (default 5e-3). */
  lambda?: number;
  /** Projector width (Barlow Twins: 8192; default 4× features). */
  projectionSize?: number;
}

/**
 * Barlow Twins (Zbontar et al. 2021, arXiv:2103.03230): encoder + 3-layer projector (BN + ReLU on
 * the hidden layers), cross-correlation of the two views' standardized projections pushed to the identity.
 */
export function createBarlowTwins(options: BarlowTwinsMethodOptions): TrainingObjective<Views> {
  const { encoder } = options;
  const viewMaker = options.views ?? defaultTwoViews(encoder);
  const size = options.projectionSize ?? 4 * encoder.featureSize;
  const projector = createMlpHead({
    inputSize: encoder.featureSize,
    hiddenSize: size,
    outputSize: size,
    layers: 3,
    seed: options.seed ?? 1,
    weightInit: options.headWeightInit,
    name: 'projector',
  });
  const training = { training: true };
  return {
    id: 'barlow-twins',
    modules: { encoder, projector },
    trainableVariables: trainableOf(encoder, projector),
    viewsPerImage: 2,
    prepare: (batch, rng) => prepareViews(viewMaker, batch, rng),
    loss: ({ views }) =>
      tf.tidy(() => {
        const [z1, z2] = applyToViews(views, (x) => projector.apply(encoder.apply(x, training), training)) as [
          Tensor2D,
          Tensor2D,
        ];
        return barlowTwins(z1, z2, { lambda: options.lambda ?? 5e-3, checkFinite: false }) as Scalar;
      }),
    dispose: () => projector.dispose(),
  };
}
