import { type Rng, type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import { frameClassification } from '../frame-classification.js';
import { frameFusionHeadSpec } from '../frame-fusion-head-spec.js';
import { type FrameOrderBatch, type FrameOrderTask, makeFrameOrderBatch } from '../frame-order-batch.js';
import { checkFrameOrderOptions, checkInteger } from '../frame-order-options.js';
import { reverseInvariantOrders } from '../frame-permutations.js';
import { sortedDistinctFrames } from '../frame-sequences.js';

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

/**
 * An order-prediction batch, a {@link FrameOrderBatch}: inputs [frames·N, H, W, C], rows n·frames +
 * slot, shuffled; targets, the order class [N] (slot s shows the frame of rank `orders[label][s]` or
 * of its reverse); frameIndices, the frame shown in each slot [N, frames].
 */
export type OrderPredictionBatch = FrameOrderBatch;

export interface OrderPredictionTask extends FrameOrderTask<OrderPredictionTaskOptions> {
  /** The order classes: `orders[label]`, a permutation of ranks (its reverse is the same class). */
  readonly orders: readonly (readonly number[])[];
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
  checkFrameOrderOptions(owner, resolved);
  const k = resolved.frames;
  const orders = reverseInvariantOrders(k);
  const sampling = {
    owner,
    minimumFrames: k,
    framesPerExample: k,
    window: { span: resolved.windowSpan, motionQuantile: resolved.motionQuantile },
  };
  return {
    id: 'order-prediction',
    description:
      'Frames of a high-motion window, shuffled → which order, an order and its reverse being one class (OPN, Lee et al. 2017)',
    modality: 'video',
    options: resolved,
    orders,
    head: frameFusionHeadSpec(
      { items: k, fusion: 'pairwise', outputSize: orders.length, name: 'order_prediction_head' },
      resolved,
    ),
    makeBatch(samples: Tensor, { rng }): OrderPredictionBatch {
      return makeFrameOrderBatch(
        samples,
        rng,
        sampling,
        ({ start, span }) => {
          const sorted = sortedDistinctFrames(start, span, k, rng);
          const label = rng.int(orders.length);
          let order = [...(orders[label] as number[])];
          if (rng.bernoulli(0.5)) order = order.reverse();
          return { frames: order.map((rank) => sorted[rank] as number), label };
        },
        resolved.channelSplitting ? (inputs) => splitChannels(inputs, rng) : undefined,
      );
    },
    ...frameClassification(orders.length, 'orderAccuracy'),
  };
}

/** OPN's channel splitting: each RGB frame keeps one random channel, copied to all three (other inputs pass as they are). */
function splitChannels(frames: Tensor4D, rng: Rng): Tensor4D {
  const [rows, , , channels] = frames.shape;
  if (channels !== 3) return frames;
  const kept = Array.from({ length: rows }, () => rng.int(3));
  const mask = tf.reshape(tf.oneHot(tf.tensor1d(kept, 'int32'), 3), [rows, 1, 1, 3]);
  return tf.tile(tf.sum(tf.mul(frames, mask), 3, true), [1, 1, 1, 3]) as Tensor4D;
}
