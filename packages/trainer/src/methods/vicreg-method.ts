import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { vicreg } from '@selfsup/losses';
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

export interface VicregMethodOptions extends MethodOptions {
  simCoeff?: number;
  stdCoeff?: number;
  covCoeff?: number;
  /** Expander width (VICReg: 8192; default 4× features). */
  projectionSize?: number;
}

/**
 * VICReg (Bardes, Ponce & LeCun 2022, arXiv:2105.04906): encoder + 3-layer expander; invariance,
 * variance and covariance terms (25, 25, 1) on the two views' embeddings.
 */
export function createVicreg(options: VicregMethodOptions): TrainingObjective<Views> {
  const { encoder } = options;
  const viewMaker = options.views ?? defaultTwoViews(encoder);
  const size = options.projectionSize ?? 4 * encoder.featureSize;
  const expander = createMlpHead({
    inputSize: encoder.featureSize,
    hiddenSize: size,
    outputSize: size,
    layers: 3,
    seed: options.seed ?? 1,
    weightInit: options.headWeightInit,
    name: 'expander',
  });
  const training = { training: true };
  return {
    id: 'vicreg',
    modules: { encoder, expander },
    trainableVariables: trainableOf(encoder, expander),
    viewsPerImage: 2,
    prepare: (batch, rng) => prepareViews(viewMaker, batch, rng),
    loss: ({ views }) =>
      tf.tidy(() => {
        const [z1, z2] = applyToViews(views, (x) => expander.apply(encoder.apply(x, training), training)) as [
          Tensor2D,
          Tensor2D,
        ];
        const terms = vicreg(z1, z2, {
          simCoeff: options.simCoeff ?? 25,
          stdCoeff: options.stdCoeff ?? 25,
          covCoeff: options.covCoeff ?? 1,
          checkFinite: false,
        });
        return terms.loss as Scalar;
      }),
    dispose: () => expander.dispose(),
  };
}
