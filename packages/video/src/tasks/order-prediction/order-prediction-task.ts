import { type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { createFrameFusionHead } from '@selfsup/models';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
import { reverseInvariantOrders } from '../frame-permutations.js';
import {
  checkFraction,
  checkInteger,
  checkSequences,
  classificationAccuracy,
  classificationLoss,
  frameIndexTensor,
  frameMotion,
  gatherFrames,
  highMotionWindowStart,
  sortedDistinctFrames,
} from '../frame-sequences.js';

export interface OrderPredictionTaskOptions {
  /** Frames to order: 4 (12 classes, as the paper) or 3 (3 classes). */
  frames: 3 | 4;
  /** Frames of the window the frames are drawn from (default 8). */
  windowSpan: number;
  /** Windows are drawn among those whose motion is at or above this quantile (default 0.5; 0: any window). */
  motionQuantile: number;
  /** RGB: each frame keeps one random channel, copied to all three (the paper's channel splitting; default false). */
  channelSplitting: boolean;
  /** Shared per-frame layer of the head (OPN's fc6; default 256). */
  itemHiddenSize: number;
  /** Shared layer over each pair of frames (OPN's fc7; default 128). */
  pairHiddenSize: number;
}

/** An order-prediction batch: the task's {@link TaskBatch} plus which frames it shows. */
export interface OrderPredictionBatch extends TaskBatch {
  /** Frames [frames·N, H, W, C], rows n·frames + slot, shuffled. */
  inputs: Tensor4D;
  /** Order class [N] int32: slot s shows the frame of rank `orders[label][s]` or of its reverse. */
  targets: Tensor1D;
  /** Frame number shown in each slot [N, frames] int32. */
  frameIndices: Tensor2D;
}

export interface OrderPredictionTask extends PretextTask<OrderPredictionTaskOptions, Tensor> {
  /** The order classes: `orders[label]`, a permutation of ranks (its reverse is the same class). */
  readonly orders: readonly (readonly number[])[];
  makeBatch(sequences: Tensor, context: TaskContext): OrderPredictionBatch;
}

/**
 * Order prediction (OPN, Lee, Huang, Singh & Yang 2017, arXiv:1708.01246): four frames from a
 * high-motion window, shuffled; the network names the order among 4!/2 = 12 classes (an order and
 * its reverse are one class — both are plausible). A per-frame encoder with shared weights sees
 * each frame; a pairwise {@link createFrameFusionHead} compares every pair of frames, then classifies.
 *
 * Shapes: sequences [N, T, H, W, C] (T ≥ frames) → inputs [frames·N, H, W, C], targets [N]; outputs [N, 12].
 *
 * @example
 * const task = orderPredictionTask();
 * const objective = taskObjective(task, createSmallCnn({ inputShape: [32, 32, 1] }));
 * @throws if an option is out of range; from makeBatch, if the samples are not sequences of enough frames.
 */
export function orderPredictionTask(options: Partial<OrderPredictionTaskOptions> = {}): OrderPredictionTask {
  const resolved: OrderPredictionTaskOptions = {
    frames: options.frames ?? 4,
    windowSpan: options.windowSpan ?? 8,
    motionQuantile: options.motionQuantile ?? 0.5,
    channelSplitting: options.channelSplitting ?? false,
    itemHiddenSize: options.itemHiddenSize ?? 256,
    pairHiddenSize: options.pairHiddenSize ?? 128,
  };
  const owner = 'orderPredictionTask';
  checkInteger(owner, 'frames', resolved.frames, 3, 4);
  checkInteger(owner, 'windowSpan', resolved.windowSpan, resolved.frames);
  checkFraction(owner, 'motionQuantile', resolved.motionQuantile, true);
  checkInteger(owner, 'itemHiddenSize', resolved.itemHiddenSize, 1);
  checkInteger(owner, 'pairHiddenSize', resolved.pairHiddenSize, 1);
  const k = resolved.frames;
  const orders = reverseInvariantOrders(k);
  return {
    id: 'order-prediction',
    description:
      'Frames of a high-motion window, shuffled → which order, an order and its reverse being one class (OPN, Lee et al. 2017)',
    modality: 'video',
    options: resolved,
    orders,
    head: {
      kind: 'custom',
      create: (encoder, seed) =>
        createFrameFusionHead({
          inputSize: encoder.featureSize,
          items: k,
          fusion: 'pairwise',
          itemHiddenSize: resolved.itemHiddenSize,
          pairHiddenSize: resolved.pairHiddenSize,
          outputSize: orders.length,
          seed,
          name: 'order_prediction_head',
        }),
    },
    makeBatch(samples: Tensor, { rng }): OrderPredictionBatch {
      const sequences = checkSequences(samples, owner, k);
      const [count, length, , , channels] = sequences.shape;
      const span = Math.min(resolved.windowSpan, length);
      const motion = resolved.motionQuantile > 0 && span < length ? frameMotion(sequences) : undefined;
      const shown: number[] = [];
      const labels: number[] = [];
      for (let n = 0; n < count; n++) {
        const start = highMotionWindowStart(motion?.[n], length, span, resolved.motionQuantile, rng);
        const sorted = sortedDistinctFrames(start, span, k, rng);
        const label = rng.int(orders.length);
        let order = [...(orders[label] as number[])];
        if (rng.bernoulli(0.5)) order = order.reverse();
        shown.push(...order.map((rank) => sorted[rank] as number));
        labels.push(label);
      }
      const split = resolved.channelSplitting && channels === 3;
      const keptChannels = split ? Array.from({ length: shown.length }, () => rng.int(3)) : [];
      return tf.tidy(() => {
        let inputs = gatherFrames(sequences, shown, k);
        if (split) {
          const mask = tf.reshape(tf.oneHot(tf.tensor1d(keptChannels, 'int32'), 3), [shown.length, 1, 1, 3]);
          inputs = tf.tile(tf.sum(tf.mul(inputs, mask), 3, true), [1, 1, 1, 3]) as Tensor4D;
        }
        return { inputs, targets: tf.tensor1d(labels, 'int32'), frameIndices: frameIndexTensor(shown, k) };
      });
    },
    loss: (outputs: Tensor, batch: TaskBatch): Scalar => classificationLoss(outputs, batch.targets, orders.length),
    metrics: (outputs: Tensor, batch: TaskBatch) => ({ orderAccuracy: classificationAccuracy(outputs, batch.targets) }),
  };
}
