import { dinoPreset, type ViewMaker } from '@selfsup/augment';
import { createRng, type NamedTensorMap, type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { l2Normalize, MemoryQueue, sinkhornKnopp, stopGradient } from '@selfsup/losses';
import { createProjectionHead, type Module, ParameterStore } from '@selfsup/models';
import { EMBEDDING_STD_METRIC, viewsEmbeddingStd } from '../representation-collapse.js';
import type { StepContext, TrainingObjective } from '../training-objective.js';
import { expectMultiCrop, multiCropFeatures } from './multi-crop-views.js';
import { SWAV_DEFAULTS } from './swav-declaration.js';
import { type MethodOptions, prepareViews, trainableOf, type Views } from './view-objective.js';

/** Options of {@link createSwav}, beside the encoder and views every method takes. */
export interface SwavMethodOptions extends MethodOptions {
  /** Temperature τ of the softmax over prototypes (SwAV: 0.1). */
  temperature?: number;
  /** Sinkhorn-Knopp iterations (SwAV: 3). */
  sinkhornIterations?: number;
  /** Entropic regularization ε of the codes (SwAV: 0.05). */
  epsilon?: number;
  /** Prototypes K (SwAV: 3000; default: {@link SWAV_DEFAULTS}). */
  prototypes?: number;
  /** Projection hidden width (SwAV: 2048; default: {@link SWAV_DEFAULTS}). */
  hiddenSize?: number;
  /** Projections and prototypes are `outputSize`-dimensional (SwAV: 128). */
  outputSize?: number;
  /** Past embeddings kept per global crop, `[queueSize, outputSize]` each (SwAV's small-batch recipe: 3840; 0: none). */
  queueSize?: number;
  /** Fraction of the steps after which the queue starts filling (SwAV: epoch 15 of 100). */
  queueStart?: number;
  /** Fraction of the steps during which the prototypes get no gradient (SwAV: the first epoch). */
  freezePrototypes?: number;
}

/** Options of {@link swavQueuedLoss}. */
export interface SwavQueuedLossOptions {
  temperature: number;
  sinkhornIterations: number;
  epsilon: number;
}

/**
 * SwAV's swapped prediction with codes computed over a queue (Caron et al. 2020, §3.1 and §4's
 * small-batch variant): for each global view a, the codes are Sinkhorn-Knopp over the queue's
 * scores stacked on the batch's, `[Q_a + B, K]`, of which the batch's last B rows are kept; every
 * other view v predicts them:
 *
 *   L = mean_a mean_{v≠a} −mean_n Σ_k q_a(n, k) · log softmax(s_v(n)/τ)_k
 *
 * Codes are constants (no gradient). Without a queue it is `swav(views)` of `@selfsup/losses`.
 *
 * @param scores one `[B, K]` per view, global views first.
 * @param queued for each global view, the queue's scores `[Q, K]` or undefined (no queue).
 * @returns a scalar `[]`; inputs are not disposed.
 * @example const loss = swavQueuedLoss([s1, s2, s3], [q1, q2], { temperature: 0.1, sinkhornIterations: 3, epsilon: 0.05 });
 */
export function swavQueuedLoss(
  scores: readonly Tensor2D[],
  queued: ReadonlyArray<Tensor2D | undefined>,
  options: SwavQueuedLossOptions,
): Scalar {
  return tf.tidy(() => {
    const logPredictions = scores.map((s) => tf.logSoftmax(tf.div(s, options.temperature)));
    const sinkhorn = { iterations: options.sinkhornIterations, epsilon: options.epsilon };
    const perAssignment = queued.map((queue, a) => {
      const batch = scores[a] as Tensor2D;
      const rows = batch.shape[0];
      const all = queue === undefined || queue.shape[0] === 0 ? batch : (tf.concat([queue, batch], 0) as Tensor2D);
      const codes = tf.slice(sinkhornKnopp(all, sinkhorn), [all.shape[0] - rows, 0], [rows, -1]);
      const terms = logPredictions
        .filter((_, v) => v !== a)
        .map((logP) => tf.neg(tf.mean(tf.sum(tf.mul(codes, logP), 1))));
      return tf.div(tf.addN(terms), terms.length);
    });
    return tf.div(tf.addN(perAssignment), perAssignment.length) as Scalar;
  });
}

/** The prototypes as a module (checkpointed with the others): a `[outputSize, prototypes]` matrix of unit columns. */
function createPrototypes(outputSize: number, count: number, seed: number): Module & { weights: tf.Variable } {
  const store = new ParameterStore('prototypes', createRng(seed));
  const weights = store.weight('kernel', [outputSize, count], { kind: 'fanInUniform', fanIn: outputSize });
  return {
    name: 'prototypes',
    weights,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind: 'swav-prototypes', options: { outputSize, prototypes: count } },
    dispose: () => store.dispose(),
  };
}

/** Normalizes every prototype (column) to unit length in place, as SwAV does before each step. */
function normalizePrototypes(weights: tf.Variable): void {
  tf.tidy(() => weights.assign(tf.transpose(l2Normalize(tf.transpose(weights)))));
}

/**
 * SwAV (Caron et al. 2020, arXiv:2006.09882): the projections of every crop (L2-normalized) are
 * scored against K learned prototypes (unit vectors, renormalized after each step); the codes of
 * each global crop — an equipartitioned soft assignment from Sinkhorn-Knopp (3 iterations,
 * ε = 0.05), over a queue of past embeddings once it is full, for small batches — are predicted
 * by the softmax (τ = 0.1) of every other crop ({@link swavQueuedLoss}). The prototypes are frozen
 * for the first steps. Default views: multi-crop at the encoder's input size with SwAV's crop
 * counts and scales ({@link SWAV_DEFAULTS}).
 *
 * Shapes: raw batch `[N, H, W, C]` in [0, 1] → views: 2 global `[N, H, W, C]` then L local (resized
 * to the encoder's input when smaller) → unit projections `[N, outputSize]` per view → scores
 * `[N, prototypes]` → a scalar loss `[]`. The checkpointed state beside the modules (`encoder`,
 * `projector`, `prototypes`) is `swav_queue_0`, `swav_queue_1` `[queueSize, outputSize]` float32
 * and `swav_queue_position` `[4]` int32.
 *
 * @example
 * const objective = createSwav({ encoder, prototypes: 512, queueSize: 1024 });
 * @throws at a step when the views are fewer than 2.
 */
export function createSwav(options: SwavMethodOptions): TrainingObjective<Views> & { queues: MemoryQueue[] } {
  const { encoder } = options;
  const [height, width] = encoder.inputShape as [number, number, number];
  const viewMaker: ViewMaker =
    options.views ??
    dinoPreset({
      globalSize: [height, width],
      localSize: [height, width],
      localCrops: SWAV_DEFAULTS.localCrops,
      globalScale: SWAV_DEFAULTS.globalScale,
      localScale: SWAV_DEFAULTS.localScale,
    });
  const outputSize = options.outputSize ?? SWAV_DEFAULTS.outputSize;
  const seed = options.seed ?? 1;
  const projector = createProjectionHead({
    inputSize: encoder.featureSize,
    hiddenSize: options.hiddenSize ?? SWAV_DEFAULTS.hiddenSize(encoder.featureSize),
    outputSize,
    seed,
    weightInit: options.headWeightInit,
    name: 'projector',
  });
  const prototypes = createPrototypes(outputSize, options.prototypes ?? SWAV_DEFAULTS.prototypes, seed + 1);
  normalizePrototypes(prototypes.weights);
  const queueSize = options.queueSize ?? SWAV_DEFAULTS.queueSize;
  const queues = queueSize > 0 ? [new MemoryQueue(queueSize, outputSize), new MemoryQueue(queueSize, outputSize)] : [];
  const lossOptions = {
    temperature: options.temperature ?? SWAV_DEFAULTS.temperature,
    sinkhornIterations: options.sinkhornIterations ?? SWAV_DEFAULTS.sinkhornIterations,
    epsilon: options.epsilon ?? SWAV_DEFAULTS.epsilon,
  };
  const training = { training: true };
  let viewsSeen = 2;
  let pending: Tensor2D[] | undefined;

  const embed = (views: Views['views'], mode: { training: boolean }): Tensor2D[] =>
    tf.tidy(() => {
      const features = multiCropFeatures(encoder, views, mode);
      const z = l2Normalize(projector.apply(tf.concat(features, 0) as Tensor2D, mode));
      return tf.split(
        z,
        features.map((f) => f.shape[0]),
      ) as Tensor2D[];
    });

  return {
    id: 'swav',
    queues,
    modules: { encoder, projector, prototypes },
    trainableVariables: trainableOf(encoder, projector, prototypes),
    // Every crop is an image through the encoder: 2 global + the local ones of the last batch.
    get viewsPerImage() {
      return viewsSeen;
    },
    prepare: (batch, rng) => {
      const prepared = prepareViews(viewMaker, batch, rng);
      viewsSeen = prepared.views.length;
      return prepared;
    },
    loss: ({ views }, { step, totalSteps }) =>
      tf.tidy(() => {
        expectMultiCrop('swav', views, 2);
        const frozen = step < Math.round((options.freezePrototypes ?? SWAV_DEFAULTS.freezePrototypes) * totalSteps);
        const weights = frozen ? stopGradient(prototypes.weights as unknown as Tensor2D) : prototypes.weights;
        const embeddings = embed(views, training);
        const scores = embeddings.map((z) => tf.matMul(z, weights as unknown as Tensor2D) as Tensor2D);
        // The queue serves the codes once full (SwAV waits for its last slot to be written).
        const queued = [0, 1].map((a) => {
          const queue = queues[a];
          if (queue === undefined || queue.filled < queue.size) return undefined;
          return tf.matMul(queue.keys(), stopGradient(prototypes.weights as unknown as Tensor2D)) as Tensor2D;
        });
        const loss = swavQueuedLoss(scores, queued, lossOptions);
        const queueStart = Math.round((options.queueStart ?? SWAV_DEFAULTS.queueStart) * totalSteps);
        tf.dispose(pending);
        pending =
          queues.length > 0 && step >= queueStart
            ? embeddings.slice(0, 2).map((z) => tf.keep(stopGradient(z)))
            : undefined;
        return loss;
      }),
    // How spread the projections of the global crops are (a collapse shows as ~0); inference mode.
    metrics: ({ views }) => ({
      [EMBEDDING_STD_METRIC]: viewsEmbeddingStd(views.slice(0, 2), (x) =>
        projector.apply(encoder.apply(x, { training: false }), { training: false }),
      ),
    }),
    afterStep(_context: StepContext) {
      normalizePrototypes(prototypes.weights);
      if (pending !== undefined) {
        pending.forEach((z, a) => {
          queues[a]?.enqueue(z);
        });
        tf.dispose(pending);
        pending = undefined;
      }
    },
    getState(): NamedTensorMap {
      if (queues.length === 0) return {};
      const [first, second] = queues.map((q) => q.state()) as [
        ReturnType<MemoryQueue['state']>,
        ReturnType<MemoryQueue['state']>,
      ];
      return {
        swav_queue_0: tf.tensor2d(first.keys, [queueSize, outputSize]),
        swav_queue_1: tf.tensor2d(second.keys, [queueSize, outputSize]),
        swav_queue_position: tf.tensor1d([first.pointer, first.filled, second.pointer, second.filled], 'int32'),
      };
    },
    setState(state: NamedTensorMap) {
      if (queues.length === 0) return;
      const position = state.swav_queue_position;
      if (position === undefined || state.swav_queue_0 === undefined || state.swav_queue_1 === undefined) {
        throw new Error('swav: the checkpoint has no queue state');
      }
      const values = Array.from(position.dataSync());
      queues.forEach((queue, a) => {
        const keys = state[`swav_queue_${a}`] as tf.Tensor;
        queue.restore({
          keys: Float32Array.from(keys.dataSync()),
          pointer: values[2 * a] as number,
          filled: values[2 * a + 1] as number,
        });
      });
    },
    dispose() {
      tf.dispose(pending);
      for (const queue of queues) queue.dispose();
      projector.dispose();
      prototypes.dispose();
    },
  };
}
