import { createRng, type NamedTensorMap, type Scalar, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { cosineMomentum, infoNce, MemoryQueue, momentumUpdate, stopGradient } from '@selfsup/losses';
import { createProjectionHead, type Encoder, type Head } from '@selfsup/models';
import { EMBEDDING_STD_METRIC, viewsEmbeddingStd } from '../representation-collapse.js';
import type { StepContext, TrainingObjective } from '../training-objective.js';
import { MOCO_V2_DEFAULTS } from './moco-v2-declaration.js';
import {
  defaultTwoViews,
  type MethodOptions,
  prepareViews,
  targetCopy,
  trainableOf,
  type Views,
} from './view-objective.js';

/** Options of {@link createMocoV2}, beside the encoder and views every method takes. */
export interface MocoV2Options extends MethodOptions {
  /** InfoNCE temperature (MoCo v2: 0.2). */
  temperature?: number;
  /** Keys in the queue, which is `[queueSize, outputSize]` (MoCo: 65 536; default: {@link MOCO_V2_DEFAULTS}). */
  queueSize?: number;
  /** Momentum of the key encoder (MoCo: 0.999; default: {@link MOCO_V2_DEFAULTS}), optionally rising to 1 by a cosine. */
  momentum?: number;
  cosineMomentum?: boolean;
  /** Projection MLP sizes: queries and keys are `[N, outputSize]` (MoCo v2: 2048-128 on ResNet-50; default: {@link MOCO_V2_DEFAULTS}). */
  projection?: { hiddenSize?: number; outputSize?: number };
  /** Groups of the shuffled-BN emulation on one device: keys run as `groups` batches `[N / groups, H, W, C]` when N divides (default: {@link MOCO_V2_DEFAULTS}; 1 disables). */
  shuffleGroups?: number;
}

/**
 * MoCo v2 (He et al. 2020; Chen et al. 2020, arXiv:2003.04297): a query encoder trained with
 * InfoNCE against keys from a momentum (EMA) key encoder and a queue of past keys; an MLP head and
 * the symmetrized loss of both views as queries. The key batch is shuffled and run in groups, so
 * batch-norm statistics cannot leak which key matches which query (MoCo's "shuffling BN").
 *
 * Shapes: raw batch `[N, H, W, C]` in [0, 1] → two views `[N, H, W, C]` → queries `q1`, `q2` and
 * keys `k1`, `k2` `[N, outputSize]`; each query scores its positive key against the queue's
 * negatives `[K, outputSize]` (K: keys held so far, up to `queueSize`; InfoNCE logits
 * `[N, 1 + K]`) → a scalar loss `[]`.
 * After each step the `2N` new keys `[2N, outputSize]` enter the queue. The checkpointed state is
 * `queue_keys` `[queueSize, outputSize]` float32 and `queue_position` `[3]` int32.
 *
 * @example
 * const objective = createMocoV2({ encoder, queueSize: 4096, temperature: 0.2 });
 */
export function createMocoV2(options: MocoV2Options): TrainingObjective<Views> & { queue: MemoryQueue } {
  const { encoder } = options;
  const viewMaker = options.views ?? defaultTwoViews(encoder);
  const temperature = options.temperature ?? MOCO_V2_DEFAULTS.temperature;
  const outputSize = options.projection?.outputSize ?? MOCO_V2_DEFAULTS.projection.outputSize;
  const baseMomentum = options.momentum ?? MOCO_V2_DEFAULTS.momentum;
  const groups = options.shuffleGroups ?? MOCO_V2_DEFAULTS.shuffleGroups;
  const projector = createProjectionHead({
    inputSize: encoder.featureSize,
    hiddenSize: options.projection?.hiddenSize ?? MOCO_V2_DEFAULTS.projection.hiddenSize(encoder.featureSize),
    outputSize,
    batchNorm: false,
    seed: options.seed ?? 1,
    weightInit: options.headWeightInit,
    name: 'projector',
  });
  const keyEncoder = targetCopy(encoder, 'key_encoder') as Encoder;
  const keyProjector = targetCopy(projector, 'key_projector') as Head;
  const queue = new MemoryQueue(options.queueSize ?? MOCO_V2_DEFAULTS.queueSize, outputSize);
  const training = { training: true };
  let pendingKeys: Tensor2D | undefined;
  let shuffleStep = 0;

  /** Keys of a view with the key networks, computed in shuffled groups; no gradient. */
  const keysOf = (view: Tensor4D): Tensor2D => {
    const count = view.shape[0];
    const order = Array.from(createRng(`moco-shuffle-${shuffleStep++}`).permutation(count));
    const inverse = new Array<number>(count);
    order.forEach((row, position) => {
      inverse[row] = position;
    });
    const shuffled = tf.gather(view, order) as Tensor4D;
    const parts = tf
      .split(shuffled, groups > 1 && count % groups === 0 ? groups : 1)
      .map((part) => keyProjector.apply(keyEncoder.apply(part, training), training));
    return stopGradient(tf.gather(tf.concat(parts, 0), inverse) as Tensor2D);
  };

  return {
    id: 'moco-v2',
    queue,
    modules: { encoder, projector, key_encoder: keyEncoder, key_projector: keyProjector },
    trainableVariables: trainableOf(encoder, projector),
    viewsPerImage: 2,
    prepare: (batch, rng) => prepareViews(viewMaker, batch, rng),
    loss: ({ views }) =>
      tf.tidy(() => {
        const [v1, v2] = views as [Tensor4D, Tensor4D];
        const q1 = projector.apply(encoder.apply(v1, training), training);
        const q2 = projector.apply(encoder.apply(v2, training), training);
        const k1 = keysOf(v1);
        const k2 = keysOf(v2);
        const negatives = queue.keys();
        const loss = tf.mul(
          tf.add(
            infoNce(q1, k2, negatives, { temperature, checkFinite: false }),
            infoNce(q2, k1, negatives, { temperature, checkFinite: false }),
          ),
          0.5,
        ) as Scalar;
        pendingKeys?.dispose();
        pendingKeys = tf.keep(tf.concat([k1, k2], 0) as Tensor2D);
        return loss;
      }),
    // How spread the online projections are (a collapse shows as ~0); inference mode, no state updated.
    metrics: ({ views }) => ({
      [EMBEDDING_STD_METRIC]: viewsEmbeddingStd(views, (x) =>
        projector.apply(encoder.apply(x, { training: false }), { training: false }),
      ),
    }),
    afterStep({ step, totalSteps }: StepContext) {
      const m =
        (options.cosineMomentum ?? MOCO_V2_DEFAULTS.cosineMomentum)
          ? cosineMomentum(baseMomentum, step, totalSteps)
          : baseMomentum;
      momentumUpdate(
        [...keyEncoder.trainableVariables, ...keyProjector.trainableVariables],
        [...encoder.trainableVariables, ...projector.trainableVariables],
        m,
      );
      if (pendingKeys !== undefined) {
        queue.enqueue(pendingKeys);
        pendingKeys.dispose();
        pendingKeys = undefined;
      }
    },
    getState(): NamedTensorMap {
      const state = queue.state();
      return {
        queue_keys: tf.tensor2d(state.keys, [queue.size, queue.dim]),
        queue_position: tf.tensor1d([state.pointer, state.filled, shuffleStep], 'int32'),
      };
    },
    setState(state: NamedTensorMap) {
      const keys = state.queue_keys;
      const position = state.queue_position;
      if (keys === undefined || position === undefined) throw new Error('moco-v2: the checkpoint has no queue state');
      const [pointer, filled, shuffles] = Array.from(position.dataSync());
      queue.restore({ keys: Float32Array.from(keys.dataSync()), pointer: pointer as number, filled: filled as number });
      shuffleStep = shuffles as number;
    },
    dispose() {
      pendingKeys?.dispose();
      queue.dispose();
      for (const m of [projector, keyEncoder, keyProjector]) m.dispose();
    },
  };
}
