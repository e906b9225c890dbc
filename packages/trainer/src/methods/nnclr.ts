import { type NamedTensorMap, type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { l2Normalize, MemoryQueue, stopGradient } from '@selfsup/losses';
import { createMlpHead } from '@selfsup/models';
import { EMBEDDING_STD_METRIC, viewsEmbeddingStd } from '../representation-collapse.js';
import type { TrainingObjective } from '../training-objective.js';
import { NNCLR_DEFAULTS } from './nnclr-declaration.js';
import {
  applyToViews,
  defaultTwoViews,
  type MethodOptions,
  prepareViews,
  trainableOf,
  type Views,
} from './view-objective.js';

/** Options of {@link createNnclr}, beside the encoder and views every method takes. */
export interface NnclrOptions extends MethodOptions {
  /** Softmax temperature τ (NNCLR: 0.1). */
  temperature?: number;
  /** Projections kept in the support set, `[supportSize, outputSize]` (NNCLR: 98 304; default: {@link NNCLR_DEFAULTS}). */
  supportSize?: number;
  /** Projector/predictor hidden width (NNCLR: 2048 and 4096; default: {@link NNCLR_DEFAULTS}). */
  hiddenSize?: number;
  /** Projections and predictions are `[N, outputSize]` (NNCLR: 256; default: {@link NNCLR_DEFAULTS}). */
  outputSize?: number;
}

/**
 * The nearest neighbour of each projection in a support set by cosine similarity, a constant (no
 * gradient): `projections` `[N, D]`, `support` `[S, D]` (S ≥ 1) → the support rows `[N, D]`.
 *
 * @example const positives = nearestInSupport(z1, queue.keys()); // [N, D]
 */
export function nearestInSupport(projections: Tensor2D, support: Tensor2D): Tensor2D {
  // One custom op with zero gradients: the search (argMax, gather) stays off the gradient tape.
  const search = tf.customGrad((z, s) => {
    const similarity = tf.matMul(l2Normalize(z as Tensor2D), l2Normalize(s as Tensor2D), false, true);
    return {
      value: tf.gather(s as Tensor2D, tf.argMax(similarity, 1)),
      gradFunc: () => [tf.zerosLike(z as Tensor2D), tf.zerosLike(s as Tensor2D)],
    };
  });
  return tf.tidy(() => search(projections, support) as Tensor2D);
}

/**
 * NNCLR's loss for one direction (Dwibedi et al. 2021, eq. 2): the nearest neighbours `positives`
 * `[N, D]` (constants) against the other view's predictions `[N, D]`, cosine logits `[N, N]` at
 * temperature τ, cross-entropy with the positives on the diagonal:
 *
 *   L = mean_i −log [ exp(NN_i·p_i/τ) / Σ_k exp(NN_i·p_k/τ) ]
 *
 * @example const loss = nnclrLoss(nearestInSupport(z1, support), p2, 0.1);
 */
export function nnclrLoss(positives: Tensor2D, predictions: Tensor2D, temperature: number): Scalar {
  return tf.tidy(() => {
    const logits = tf.div(tf.matMul(l2Normalize(positives), l2Normalize(predictions), false, true), temperature);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.eye(positives.shape[0])), 1))) as Scalar;
  });
}

/**
 * NNCLR (Dwibedi et al. 2021, arXiv:2104.14548): like SimCLR, but the positive of each view is the
 * nearest neighbour of its projection in a support set of past projections (a FIFO queue of the
 * first view's unit projections), contrasted with the other view's prediction (an MLP on the
 * projection); symmetrized over the two views. While the support set is still empty, a
 * projection is its own neighbour. Default views: SimCLR's recipe for RGB, the Fashion-MNIST
 * recipe for 1 channel.
 *
 * Shapes: raw batch `[N, H, W, C]` in [0, 1] → two views `[N, H, W, C]` run stacked → projections
 * `z1`, `z2` and predictions `p1`, `p2` `[N, outputSize]`; support set `[S, outputSize]` →
 * neighbours `[N, outputSize]` → logits `[N, N]` → a scalar loss `[]`. The checkpointed state is
 * `nnclr_support` `[supportSize, outputSize]` float32 and `nnclr_support_position` `[2]` int32.
 *
 * @example
 * const objective = createNnclr({ encoder, supportSize: 4096 });
 */
export function createNnclr(options: NnclrOptions): TrainingObjective<Views> & { support: MemoryQueue } {
  const { encoder } = options;
  const viewMaker = options.views ?? defaultTwoViews(encoder);
  const hiddenSize = options.hiddenSize ?? NNCLR_DEFAULTS.hiddenSize(encoder.featureSize);
  const outputSize = options.outputSize ?? NNCLR_DEFAULTS.outputSize;
  const temperature = options.temperature ?? NNCLR_DEFAULTS.temperature;
  const seed = options.seed ?? 1;
  const projector = createMlpHead({
    inputSize: encoder.featureSize,
    hiddenSize,
    outputSize,
    layers: 3,
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
  const supportSize = options.supportSize ?? NNCLR_DEFAULTS.supportSize;
  const support = new MemoryQueue(supportSize, outputSize);
  const training = { training: true };
  let pending: Tensor2D | undefined;
  return {
    id: 'nnclr',
    support,
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
        const [p1, p2] = [predictor.apply(z1, training), predictor.apply(z2, training)];
        const neighbours = (z: Tensor2D) =>
          support.filled === 0 ? stopGradient(z) : nearestInSupport(z, support.keys());
        const loss = tf.mul(
          tf.add(nnclrLoss(neighbours(z1), p2, temperature), nnclrLoss(neighbours(z2), p1, temperature)),
          0.5,
        ) as Scalar;
        pending?.dispose();
        pending = tf.keep(l2Normalize(stopGradient(z1)));
        return loss;
      }),
    // How spread the projections are (a collapse shows as ~0); inference mode, no state updated.
    metrics: ({ views }) => ({
      [EMBEDDING_STD_METRIC]: viewsEmbeddingStd(views, (x) =>
        projector.apply(encoder.apply(x, { training: false }), { training: false }),
      ),
    }),
    afterStep() {
      if (pending !== undefined) {
        support.enqueue(pending);
        pending.dispose();
        pending = undefined;
      }
    },
    getState(): NamedTensorMap {
      const state = support.state();
      return {
        nnclr_support: tf.tensor2d(state.keys, [supportSize, outputSize]),
        nnclr_support_position: tf.tensor1d([state.pointer, state.filled], 'int32'),
      };
    },
    setState(state: NamedTensorMap) {
      const keys = state.nnclr_support;
      const position = state.nnclr_support_position;
      if (keys === undefined || position === undefined) throw new Error('nnclr: the checkpoint has no support set');
      const [pointer, filled] = Array.from(position.dataSync());
      support.restore({
        keys: Float32Array.from(keys.dataSync()),
        pointer: pointer as number,
        filled: filled as number,
      });
    },
    dispose() {
      pending?.dispose();
      support.dispose();
      projector.dispose();
      predictor.dispose();
    },
  };
}
