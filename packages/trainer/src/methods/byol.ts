import { byolPreset } from '@selfsup/augment';
import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { cosineMomentum, momentumUpdate, symmetricNegativeCosine } from '@selfsup/losses';
import { createMlpHead, createPredictorHead, type Encoder, type Head } from '@selfsup/models';
import { EMBEDDING_STD_METRIC, viewsEmbeddingStd } from '../representation-collapse.js';
import type { StepContext, TrainingObjective } from '../training-objective.js';
import { BYOL_DEFAULTS } from './byol-declaration.js';
import {
  applyToViews,
  defaultTwoViews,
  type MethodOptions,
  prepareViews,
  targetCopy,
  trainableOf,
  type Views,
} from './view-objective.js';

/** Options of {@link createByol}, beside the encoder and views every method takes. */
export interface ByolOptions extends MethodOptions {
  /** Base target momentum τ (BYOL: 0.996, rising to 1 by a cosine). */
  momentum?: number;
  /** Projector/predictor hidden width (BYOL: 4096; default: {@link BYOL_DEFAULTS}). */
  hiddenSize?: number;
  /** Projections and predictions are `[N, outputSize]` (BYOL: 256; default: {@link BYOL_DEFAULTS}). */
  outputSize?: number;
}

/**
 * BYOL (Grill et al. 2020, arXiv:2006.07733): an online encoder + projector + predictor regresses
 * the projection of a target network, an EMA of the online one (τ from 0.996 to 1 by a cosine);
 * loss 2 − 2·cos, symmetrized over the two views. Default views: BYOL's asymmetric recipe for RGB.
 *
 * Shapes: raw batch `[N, H, W, C]` in [0, 1] → two views `[N, H, W, C]`, run stacked as
 * `[2N, H, W, C]` → features `[2N, featureSize]` → online predictions `p1`, `p2` and target
 * projections `z1`, `z2`, each `[N, outputSize]` → a scalar loss `[]`.
 *
 * @example
 * const objective = createByol({ encoder, momentum: 0.996 });
 */
export function createByol(options: ByolOptions): TrainingObjective<Views> {
  const { encoder } = options;
  const [height, width, channels] = encoder.inputShape as [number, number, number];
  const viewMaker =
    options.views ?? (channels === 3 ? byolPreset({ size: [height, width] }) : defaultTwoViews(encoder));
  const hiddenSize = options.hiddenSize ?? BYOL_DEFAULTS.hiddenSize(encoder.featureSize);
  const outputSize = options.outputSize ?? BYOL_DEFAULTS.outputSize;
  const projector = createMlpHead({
    inputSize: encoder.featureSize,
    hiddenSize,
    outputSize,
    seed: options.seed ?? 1,
    weightInit: options.headWeightInit,
    name: 'projector',
  });
  const predictor = createPredictorHead({
    inputSize: outputSize,
    hiddenSize,
    outputSize,
    seed: (options.seed ?? 1) + 1,
    weightInit: options.headWeightInit,
    name: 'predictor',
  });
  const targetEncoder = targetCopy(encoder, 'target_encoder') as Encoder;
  const targetProjector = targetCopy(projector, 'target_projector') as Head;
  const training = { training: true };
  return {
    id: 'byol',
    modules: { encoder, projector, predictor, target_encoder: targetEncoder, target_projector: targetProjector },
    trainableVariables: trainableOf(encoder, projector, predictor),
    viewsPerImage: 2,
    prepare: (batch, rng) => prepareViews(viewMaker, batch, rng),
    loss: ({ views }) =>
      tf.tidy(() => {
        const [p1, p2] = applyToViews(views, (x) =>
          predictor.apply(projector.apply(encoder.apply(x, training), training), training),
        ) as [Tensor2D, Tensor2D];
        const [z1, z2] = applyToViews(views, (x) =>
          targetProjector.apply(targetEncoder.apply(x, training), training),
        ) as [Tensor2D, Tensor2D];
        return symmetricNegativeCosine(p1, z1, p2, z2, { form: 'byol', checkFinite: false }) as Scalar;
      }),
    // How spread the online projections are (a collapse shows as ~0); inference mode, no state updated.
    metrics: ({ views }) => ({
      [EMBEDDING_STD_METRIC]: viewsEmbeddingStd(views, (x) =>
        projector.apply(encoder.apply(x, { training: false }), { training: false }),
      ),
    }),
    afterStep({ step, totalSteps }: StepContext) {
      momentumUpdate(
        [...targetEncoder.trainableVariables, ...targetProjector.trainableVariables],
        [...encoder.trainableVariables, ...projector.trainableVariables],
        cosineMomentum(options.momentum ?? BYOL_DEFAULTS.momentum, step, totalSteps),
      );
    },
    dispose() {
      for (const m of [projector, predictor, targetEncoder, targetProjector]) m.dispose();
    },
  };
}
