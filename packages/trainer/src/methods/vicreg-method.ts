import { vicreg } from '@selfsup/losses';
import type { TrainingObjective } from '../training-objective.js';
import { createTwoViewMethod } from './two-view-method.js';
import { VICREG_METHOD_DEFAULTS } from './vicreg-method-declaration.js';
import type { MethodOptions, Views } from './view-objective.js';
import { wideProjector } from './wide-projector.js';

/** Options of {@link createVicreg}, beside the encoder and views every method takes. */
export interface VicregMethodOptions extends MethodOptions {
  /** Weight of the invariance term (default: {@link VICREG_METHOD_DEFAULTS}). */
  simCoeff?: number;
  /** Weight of the variance term (default: {@link VICREG_METHOD_DEFAULTS}). */
  stdCoeff?: number;
  /** Weight of the covariance term (default: {@link VICREG_METHOD_DEFAULTS}). */
  covCoeff?: number;
  /**
   * Expander width: embeddings are `[N, projectionSize]`, their covariance
   * `[projectionSize, projectionSize]` (VICReg: 8192; default: {@link VICREG_METHOD_DEFAULTS}).
   */
  projectionSize?: number;
}

/**
 * VICReg (Bardes, Ponce & LeCun 2022, arXiv:2105.04906): encoder + 3-layer expander; invariance,
 * variance and covariance terms (25, 25, 1) on the two views' embeddings [N, D]. A
 * {@link createTwoViewMethod} with its expander and loss.
 * @example const objective = createVicreg({ encoder });
 */
export function createVicreg(options: VicregMethodOptions): TrainingObjective<Views> {
  const { encoder } = options;
  const size = options.projectionSize ?? VICREG_METHOD_DEFAULTS.projectionSize(encoder.featureSize);
  const coefficients = {
    simCoeff: options.simCoeff ?? VICREG_METHOD_DEFAULTS.simCoeff,
    stdCoeff: options.stdCoeff ?? VICREG_METHOD_DEFAULTS.stdCoeff,
    covCoeff: options.covCoeff ?? VICREG_METHOD_DEFAULTS.covCoeff,
    checkFinite: false,
  };
  return createTwoViewMethod({
    id: 'vicreg',
    encoder,
    views: options.views,
    projector: wideProjector(options, size, 'expander'),
    loss: (z1, z2) => vicreg(z1, z2, coefficients).loss,
  });
}
