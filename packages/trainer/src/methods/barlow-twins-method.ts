import { barlowTwins } from '@selfsup/losses';
import type { TrainingObjective } from '../training-objective.js';
import { BARLOW_TWINS_METHOD_DEFAULTS } from './barlow-twins-method-declaration.js';
import { createTwoViewMethod } from './two-view-method.js';
import type { MethodOptions, Views } from './view-objective.js';
import { wideProjector } from './wide-projector.js';

/** Options of {@link createBarlowTwins}, beside the encoder and views every method takes. */
export interface BarlowTwinsMethodOptions extends MethodOptions {
  /** Redundancy-reduction weight λ (default: {@link BARLOW_TWINS_METHOD_DEFAULTS}). */
  lambda?: number;
  /**
   * Projector width: projections are `[N, projectionSize]`, their cross-correlation
   * `[projectionSize, projectionSize]` (Barlow Twins: 8192; default: {@link BARLOW_TWINS_METHOD_DEFAULTS}).
   */
  projectionSize?: number;
}

/**
 * Barlow Twins (Zbontar et al. 2021, arXiv:2103.03230): encoder + 3-layer projector (BN + ReLU on
 * the hidden layers), cross-correlation of the two views' standardized projections [N, D] pushed
 * to the identity. A {@link createTwoViewMethod} with its projector and loss.
 * @example const objective = createBarlowTwins({ encoder, lambda: 5e-3 });
 */
export function createBarlowTwins(options: BarlowTwinsMethodOptions): TrainingObjective<Views> {
  const { encoder } = options;
  const size = options.projectionSize ?? BARLOW_TWINS_METHOD_DEFAULTS.projectionSize(encoder.featureSize);
  const lambda = options.lambda ?? BARLOW_TWINS_METHOD_DEFAULTS.lambda;
  return createTwoViewMethod({
    id: 'barlow-twins',
    encoder,
    views: options.views,
    projector: wideProjector(options, size, 'projector'),
    loss: (z1, z2) => barlowTwins(z1, z2, { lambda, checkFinite: false }),
  });
}
