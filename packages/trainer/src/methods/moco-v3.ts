import { byolPreset } from '@selfsup/augment';
import { type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { cosineMomentum, l2Normalize, momentumUpdate, stopGradient } from '@selfsup/losses';
import { createMlpHead, type Encoder, type Head, parameterName } from '@selfsup/models';
import { EMBEDDING_STD_METRIC, viewsEmbeddingStd } from '../representation-collapse.js';
import type { StepContext, TrainingObjective } from '../training-objective.js';
import { MOCO_V3_DEFAULTS } from './moco-v3-declaration.js';
import {
  applyToViews,
  defaultTwoViews,
  type MethodOptions,
  prepareViews,
  targetCopy,
  trainableOf,
  type Views,
} from './view-objective.js';

/** Options of {@link createMocoV3}, beside the encoder and views every method takes. */
export interface MocoV3Options extends MethodOptions {
  /** InfoNCE temperature τ (MoCo v3: 0.2 for ViT). */
  temperature?: number;
  /** Base EMA rate of the momentum encoder, rising to 1 by a cosine (MoCo v3: 0.99). */
  momentum?: number;
  /** Linear layers of the projection MLP (MoCo v3: 3 for ViT, 2 for ResNet; default: {@link MOCO_V3_DEFAULTS}). */
  projectionLayers?: number;
  /** Projector/predictor hidden width (MoCo v3: 4096; default: {@link MOCO_V3_DEFAULTS}). */
  hiddenSize?: number;
  /** Queries and keys are `[N, outputSize]` (MoCo v3: 256; default: {@link MOCO_V3_DEFAULTS}). */
  outputSize?: number;
  /** Keep a ViT's patch projection (`…/patch_embedding/…`) at its random initialization (MoCo v3: yes). */
  freezePatchProjection?: boolean;
}

/**
 * MoCo v3's contrastive loss (Chen, Xie & He 2021, arXiv:2104.02057, Algorithm 1): queries and keys
 * L2-normalized, logits q·kᵀ/τ `[N, N]` whose positives are on the diagonal (the other keys of the
 * batch are the negatives, no queue), cross-entropy scaled by 2τ:
 *
 *   ctr(q, k) = 2τ · mean_n −log softmax(q_n·kᵀ/τ)_n
 *
 * Gradients flow into `queries` only when `keys` come from a momentum encoder without gradient.
 *
 * @param queries `[N, D]`; @param keys `[N, D]` (row n the positive of query n).
 * @returns a scalar `[]`; inputs are not disposed.
 * @example const loss = tf.add(mocoV3Contrastive(q1, k2, 0.2), mocoV3Contrastive(q2, k1, 0.2));
 * @throws when the two are not `[N, D]` of one shape or τ is not positive.
 */
export function mocoV3Contrastive(queries: Tensor2D, keys: Tensor2D, temperature: number): Scalar {
  if (queries.rank !== 2 || queries.shape.join() !== keys.shape.join()) {
    throw new Error(
      `mocoV3Contrastive: queries and keys must be [N, D] of one shape; got [${queries.shape}] and [${keys.shape}]`,
    );
  }
  if (!(temperature > 0)) throw new Error(`mocoV3Contrastive: temperature must be positive; got ${temperature}`);
  return tf.tidy(() => {
    const logits = tf.div(tf.matMul(l2Normalize(queries), l2Normalize(keys), false, true), temperature);
    const positives = tf.mul(tf.logSoftmax(logits), tf.eye(queries.shape[0]));
    return tf.mul(tf.neg(tf.mean(tf.sum(positives, 1))), 2 * temperature) as Scalar;
  });
}

/**
 * MoCo v3 (Chen, Xie & He 2021, arXiv:2104.02057): an online encoder + projector + predictor makes
 * queries, a momentum encoder + projector (EMA, 0.99 rising to 1 by a cosine) makes keys, and the
 * symmetric loss ctr(q1, k2) + ctr(q2, k1) ({@link mocoV3Contrastive}) contrasts each query with
 * the batch's keys — no queue. For a ViT the patch projection can stay at its random
 * initialization (its stability fix). Default views: BYOL's asymmetric recipe for RGB, the
 * Fashion-MNIST recipe for 1 channel.
 *
 * Shapes: raw batch `[N, H, W, C]` in [0, 1] → two views `[N, H, W, C]` run stacked `[2N, H, W, C]`
 * → queries `q1`, `q2` and keys `k1`, `k2` `[N, outputSize]` → logits `[N, N]` → a scalar loss `[]`.
 *
 * @example
 * const objective = createMocoV3({ encoder, temperature: 0.2 });
 */
export function createMocoV3(options: MocoV3Options): TrainingObjective<Views> {
  const { encoder } = options;
  const [height, width, channels] = encoder.inputShape as [number, number, number];
  const viewMaker =
    options.views ?? (channels === 3 ? byolPreset({ size: [height, width] }) : defaultTwoViews(encoder));
  const hiddenSize = options.hiddenSize ?? MOCO_V3_DEFAULTS.hiddenSize(encoder.featureSize);
  const outputSize = options.outputSize ?? MOCO_V3_DEFAULTS.outputSize;
  const temperature = options.temperature ?? MOCO_V3_DEFAULTS.temperature;
  const seed = options.seed ?? 1;
  const projector = createMlpHead({
    inputSize: encoder.featureSize,
    hiddenSize,
    outputSize,
    layers: options.projectionLayers ?? MOCO_V3_DEFAULTS.projectionLayers,
    lastBatchNorm: true,
    seed,
    weightInit: options.headWeightInit,
    name: 'projector',
  });
  const predictor = createMlpHead({
    inputSize: outputSize,
    hiddenSize,
    outputSize,
    layers: 2,
    seed: seed + 1,
    weightInit: options.headWeightInit,
    name: 'predictor',
  });
  const momentumEncoder = targetCopy(encoder, 'momentum_encoder') as Encoder;
  const momentumProjector = targetCopy(projector, 'momentum_projector') as Head;
  const frozen =
    (options.freezePatchProjection ?? MOCO_V3_DEFAULTS.freezePatchProjection)
      ? new Set(encoder.trainableVariables.filter((v) => parameterName(v).includes('/patch_embedding/')))
      : new Set<tf.Variable>();
  const training = { training: true };
  return {
    id: 'moco-v3',
    modules: {
      encoder,
      projector,
      predictor,
      momentum_encoder: momentumEncoder,
      momentum_projector: momentumProjector,
    },
    trainableVariables: trainableOf(encoder, projector, predictor).filter((v) => !frozen.has(v)),
    viewsPerImage: 2,
    prepare: (batch, rng) => prepareViews(viewMaker, batch, rng),
    loss: ({ views }) =>
      tf.tidy(() => {
        const [q1, q2] = applyToViews(views, (x) =>
          predictor.apply(projector.apply(encoder.apply(x, training), training), training),
        ) as [Tensor2D, Tensor2D];
        const [k1, k2] = applyToViews(views, (x) =>
          stopGradient(momentumProjector.apply(momentumEncoder.apply(x, training), training)),
        ) as [Tensor2D, Tensor2D];
        return tf.add(mocoV3Contrastive(q1, k2, temperature), mocoV3Contrastive(q2, k1, temperature)) as Scalar;
      }),
    // How spread the online projections are (a collapse shows as ~0); inference mode, no state updated.
    metrics: ({ views }) => ({
      [EMBEDDING_STD_METRIC]: viewsEmbeddingStd(views, (x) =>
        projector.apply(encoder.apply(x, { training: false }), { training: false }),
      ),
    }),
    afterStep({ step, totalSteps }: StepContext) {
      momentumUpdate(
        [...momentumEncoder.trainableVariables, ...momentumProjector.trainableVariables],
        [...encoder.trainableVariables, ...projector.trainableVariables],
        cosineMomentum(options.momentum ?? MOCO_V3_DEFAULTS.momentum, step, totalSteps),
      );
    },
    dispose() {
      for (const m of [projector, predictor, momentumEncoder, momentumProjector]) m.dispose();
    },
  };
}
