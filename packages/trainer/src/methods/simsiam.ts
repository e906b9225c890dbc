import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { symmetricNegativeCosine } from '@selfsup/losses';
import { createMlpHead, createPredictorHead } from '@selfsup/models';
import type { TrainingObjective } from '../training-objective.js';
import {
  applyToViews,
  defaultTwoViews,
  type MethodOptions,
  prepareViews,
  trainableOf,
  type Views,
} from './view-objective.js';

export interface SimsiamOptions extends MethodOptions {
  /** Projector width (SimSiam: 2048; default 2× features). */
  projectionSize?: number;
  /** Predictor bottleneck (SimSiam: 512; default projectionSize / 4). */
  predictorHiddenSize?: number;
}

/**
 * SimSiam (Chen & He 2021, arXiv:2011.10566): one encoder + 3-layer projector (BN on every layer)
 * + bottleneck predictor; the negative cosine between each view's prediction and the other view's
 * projection, whose gradient is stopped — no momentum encoder, no negatives.
 */
export function createSimsiam(options: SimsiamOptions): TrainingObjective<Views> {
  const { encoder } = options;
  const viewMaker = options.views ?? defaultTwoViews(encoder);
  const size = options.projectionSize ?? 2 * encoder.featureSize;
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
    hiddenSize: options.predictorHiddenSize ?? Math.max(1, Math.round(size / 4)),
    outputSize: size,
    seed: (options.seed ?? 1) + 1,
    weightInit: options.headWeightInit,
    name: 'predictor',
  });
  const training = { training: true };
  return {
    id: 'simsiam',
    modules: { encoder, projector, predictor },
    trainableVariables: trainableOf(encoder, projector, predictor),
    viewsPerImage: 2,
    prepare: (batch, rng) => prepareViews(viewMaker, batch, rng),
    loss: ({ views }) =>
      tf.tidy(() => {
        const [z1, z2] = applyToViews(views, (x) => projector.apply(encoder.apply(x, training), training)) as [
          Tensor2D,
          Tensor2D,
        ];
        const p1 = predictor.apply(z1, training);
        const p2 = predictor.apply(z2, training);
        return symmetricNegativeCosine(p1, z1, p2, z2, { checkFinite: false }) as Scalar;
      }),
    dispose() {
      projector.dispose();
      predictor.dispose();
    },
  };
}
