import type { ViewMaker } from '@selfsup/augment';
import { type Rng, type Scalar, type Tensor, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { createProjectionHead, type Encoder } from '@selfsup/models';
import type { TrainingObjective, Views } from '@selfsup/trainer';
import type { ViewPairLoss } from './entries.js';

/** Options of {@link createTwoViewMethod}. */
export interface TwoViewMethodOptions {
  encoder: Encoder;
  views: ViewMaker;
  loss: ViewPairLoss;
  /** Projection MLP sizes (defaults: hidden = feature size, output 64, 2 layers, no batch norm). */
  projection: { hiddenSize: number; outputSize: number; layers: number; batchNorm: boolean };
  seed: number;
}

/**
 * A joint-embedding method whose loss is a registry entry: two augmented views of each image go
 * through the encoder and a projection MLP, and `loss(z1, z2)` compares the projections [N, D] —
 * SimCLR's architecture with any view-pair loss (NT-Xent, Barlow Twins, VICReg, a plugin's).
 */
export function createTwoViewMethod(options: TwoViewMethodOptions): TrainingObjective<Views> {
  const { encoder, views, loss } = options;
  const projector = createProjectionHead({
    inputSize: encoder.featureSize,
    ...options.projection,
    seed: options.seed,
    name: 'projector',
  });
  const mode = { training: true };
  return {
    id: 'two-view',
    modules: { encoder, projector },
    trainableVariables: [...encoder.trainableVariables, ...projector.trainableVariables],
    viewsPerImage: 2,
    prepare: (batch: Tensor, rng: Rng) => ({ views: views(batch as Tensor4D, rng) }),
    loss: ({ views: made }) =>
      tf.tidy(() => {
        const stacked = tf.concat(made, 0) as Tensor4D;
        const z = projector.apply(encoder.apply(stacked, mode), mode);
        const [z1, z2] = tf.split(
          z,
          made.map((v) => v.shape[0]),
        ) as [Tensor2D, Tensor2D];
        return loss(z1, z2) as Scalar;
      }),
    dispose: () => projector.dispose(),
  };
}
