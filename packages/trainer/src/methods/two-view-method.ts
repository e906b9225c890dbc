import type { ViewMaker } from '@selfsup/augment';
import { type Tensor2D, tf } from '@selfsup/backend';
import type { ViewPairLoss } from '@selfsup/losses';
import type { Encoder, Head } from '@selfsup/models';
import { EMBEDDING_STD_METRIC, viewsEmbeddingStd } from '../representation-collapse.js';
import type { TrainingObjective } from '../training-objective.js';
import { applyToViews, defaultTwoViews, prepareViews, trainableOf, type Views } from './view-objective.js';

/** A loss between the projections of two views `[N, D]` × 2 → scalar (declared in `@selfsup/losses`). */
export type { ViewPairLoss };

/** Options of {@link createTwoViewMethod}. */
export interface TwoViewMethodOptions {
  /** The method's id, e.g. `barlow-twins` (default `two-view`). */
  id?: string;
  /** The encoder to pretrain: images [N, H, W, C] → features [N, F]. */
  encoder: Encoder;
  /** How to make the two views (default: {@link defaultTwoViews} for the encoder's input). */
  views?: ViewMaker;
  /** Features [N, F] → embeddings [N, D]; trained, checkpointed under its `name` and disposed with the method. */
  projector: Head;
  /**
   * Further heads the loss applies itself (SimSiam's predictor): trained, checkpointed under their
   * names and disposed with the method.
   */
  heads?: Head[];
  /** Compares the two views' embeddings [N, D]; run inside the method's `tf.tidy`. */
  loss: ViewPairLoss;
}

/**
 * A joint-embedding method on two augmented views: both views go through the encoder and the
 * projector in one stacked batch [2N, H, W, C] (batch statistics over both views, as the reference
 * single-device implementations), the embeddings are split back into `z1`, `z2` [N, D], and
 * `loss(z1, z2)` is minimized. SimCLR, Barlow Twins, VICReg and SimSiam are this method with
 * their heads and loss; with any other view-pair loss it is SimCLR's architecture for that loss.
 *
 * @example
 * const projector = createProjectionHead({ inputSize: encoder.featureSize, hiddenSize: 128, outputSize: 64, name: 'projector' });
 * const objective = createTwoViewMethod({ encoder, projector, loss: (z1, z2) => barlowTwins(z1, z2) });
 * @throws when a head's `name` repeats another module's (checkpoints save modules by name).
 */
export function createTwoViewMethod(options: TwoViewMethodOptions): TrainingObjective<Views> {
  const { encoder, projector, loss } = options;
  const heads = options.heads ?? [];
  const viewMaker = options.views ?? defaultTwoViews(encoder);
  const modules: Record<string, Encoder | Head> = { encoder };
  for (const head of [projector, ...heads]) {
    if (head.name in modules) throw new Error(`createTwoViewMethod: two modules are named '${head.name}'`);
    modules[head.name] = head;
  }
  const training = { training: true };
  const inference = { training: false };
  return {
    id: options.id ?? 'two-view',
    modules,
    trainableVariables: trainableOf(encoder, projector, ...heads),
    viewsPerImage: 2,
    prepare: (batch, rng) => prepareViews(viewMaker, batch, rng),
    loss: ({ views }) =>
      tf.tidy(() => {
        const [z1, z2] = applyToViews(views, (x) => projector.apply(encoder.apply(x, training), training)) as [
          Tensor2D,
          Tensor2D,
        ];
        return loss(z1, z2);
      }),
    // How spread the projections are (a collapse shows as ~0); inference mode, no state updated.
    metrics: ({ views }) => ({
      [EMBEDDING_STD_METRIC]: viewsEmbeddingStd(views, (x) => projector.apply(encoder.apply(x, inference), inference)),
    }),
    dispose() {
      projector.dispose();
      for (const head of heads) head.dispose();
    },
  };
}
