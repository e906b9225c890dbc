import { vicreg } from '@selfsup/losses';
import { createMlpHead } from '@selfsup/models';
import type { TrainingObjective } from '../training-objective.js';
import { createTwoViewMethod } from './two-view-method.js';
import type { MethodOptions, Views } from './view-objective.js';

/** Options of {@link createVicreg}, beside the encoder and views every method takes. */
export interface VicregMethodOptions extends MethodOptions {
  /** Weight of the invariance term (default 25). */
  simCoeff?: number;
  /** Weight of the variance term (default 25). */
  stdCoeff?: number;
  /** Weight of the covariance term (default 1). */
  covCoeff?: number;
  /**
   * Expander width: embeddings are `[N, projectionSize]`, their covariance
   * `[projectionSize, projectionSize]` (VICReg: 8192; default 4× features).
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
  const size = options.projectionSize ?? 4 * encoder.featureSize;
  const coefficients = {
    simCoeff: options.simCoeff ?? 25,
    stdCoeff: options.stdCoeff ?? 25,
    covCoeff: options.covCoeff ?? 1,
    checkFinite: false,
  };
  return createTwoViewMethod({
    id: 'vicreg',
    encoder,
    views: options.views,
    projector: createMlpHead({
      inputSize: encoder.featureSize,
      hiddenSize: size,
      outputSize: size,
      layers: 3,
      seed: options.seed ?? 1,
      weightInit: options.headWeightInit,
      name: 'expander',
    }),
    loss: (z1, z2) => vicreg(z1, z2, coefficients).loss,
  });
}
