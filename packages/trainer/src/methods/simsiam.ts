import { symmetricNegativeCosine } from '@selfsup/losses';
import { createMlpHead, createPredictorHead } from '@selfsup/models';
import type { TrainingObjective } from '../training-objective.js';
import { SIMSIAM_DEFAULTS } from './simsiam-declaration.js';
import { createTwoViewMethod } from './two-view-method.js';
import type { MethodOptions, Views } from './view-objective.js';

/** Options of {@link createSimsiam}, beside the encoder and views every method takes. */
export interface SimsiamOptions extends MethodOptions {
  /** Projector width: projections and predictions are `[N, projectionSize]` (SimSiam: 2048; default: {@link SIMSIAM_DEFAULTS}). */
  projectionSize?: number;
  /** Predictor bottleneck, `[N, predictorHiddenSize]` inside the predictor (SimSiam: 512; default: {@link SIMSIAM_DEFAULTS}). */
  predictorHiddenSize?: number;
}

/**
 * SimSiam (Chen & He 2021, arXiv:2011.10566): one encoder + 3-layer projector (BN on every layer)
 * + bottleneck predictor; the negative cosine between each view's prediction and the other view's
 * projection [N, D], whose gradient is stopped — no momentum encoder, no negatives. A
 * {@link createTwoViewMethod} whose loss applies the predictor.
 * @example const objective = createSimsiam({ encoder });
 */
export function createSimsiam(options: SimsiamOptions): TrainingObjective<Views> {
  const { encoder } = options;
  const size = options.projectionSize ?? SIMSIAM_DEFAULTS.projectionSize(encoder.featureSize);
  const projector = createMlpHead({
    inputSize: encoder.featureSize,
    hiddenSize: size,
    outputSize: size,
    layers: 3,
    lastBatchNorm: true,
    seed: options.seed ?? 1,
    weightInit: options.headWeightInit,
    name: 'projector',
  });
  const predictor = createPredictorHead({
    inputSize: size,
    hiddenSize: options.predictorHiddenSize ?? SIMSIAM_DEFAULTS.predictorHiddenSize(size),
    outputSize: size,
    seed: (options.seed ?? 1) + 1,
    weightInit: options.headWeightInit,
    name: 'predictor',
  });
  const training = { training: true };
  return createTwoViewMethod({
    id: 'simsiam',
    encoder,
    views: options.views,
    projector,
    heads: [predictor],
    loss: (z1, z2) =>
      symmetricNegativeCosine(predictor.apply(z1, training), z1, predictor.apply(z2, training), z2, {
        checkFinite: false,
      }),
  });
}
