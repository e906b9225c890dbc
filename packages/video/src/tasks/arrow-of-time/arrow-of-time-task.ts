import type { Tensor } from '@selfsup/backend';
import { frameClassification } from '../frame-classification.js';
import { frameFusionHeadSpec } from '../frame-fusion-head-spec.js';
import { type FrameOrderBatch, type FrameOrderTask, makeFrameOrderBatch } from '../frame-order-batch.js';
import { checkFrameOrderOptions, checkInteger } from '../frame-order-options.js';

export interface ArrowOfTimeTaskOptions {
  /** Frames per clip (default 4). */
  frames: number;
  /** Frame numbers between consecutive frames of a clip (default 2). */
  frameStride: number;
  /** Windows are drawn among those whose motion is at or above this quantile (default 0.5; 0: any window). */
  motionQuantile: number;
  /** Shared per-frame layer of the head (default 256). */
  itemHiddenSize: number;
  /** Layer over the concatenated frames (default 256). */
  hiddenSize: number;
}

/**
 * An arrow-of-time batch, a {@link FrameOrderBatch}: inputs [frames·N, H, W, C], rows n·frames + slot;
 * targets 1 when the clip plays forward, 0 backward [N]; frameIndices, the frame shown in each slot [N, frames].
 */
export type ArrowOfTimeBatch = FrameOrderBatch;

export type ArrowOfTimeTask = FrameOrderTask<ArrowOfTimeTaskOptions>;

/**
 * Arrow of time (Wei, Lim, Zisserman & Freeman 2018, CVPR): a clip of evenly strided frames from
 * a high-motion window plays forward or backward (probability 0.5); the network says which. Only
 * irreversible motion (friction, falling, spreading) makes this learnable. Per-frame encoder with
 * shared weights, concatenating {@link createFrameFusionHead}.
 *
 * Shapes: sequences [N, T, H, W, C] (T ≥ (frames − 1)·frameStride + 1) → inputs [frames·N, H, W, C],
 * targets [N]; outputs [N, 2].
 *
 * @example
 * const task = arrowOfTimeTask({ frames: 4, frameStride: 2 });
 * @throws if an option is out of range; from makeBatch, if the sequences are too short for a clip.
 */
export function arrowOfTimeTask(options: Partial<ArrowOfTimeTaskOptions> = {}): ArrowOfTimeTask {
  const resolved: ArrowOfTimeTaskOptions = {
    frames: options.frames ?? 4,
    frameStride: options.frameStride ?? 2,
    motionQuantile: options.motionQuantile ?? 0.5,
    itemHiddenSize: options.itemHiddenSize ?? 256,
    hiddenSize: options.hiddenSize ?? 256,
  };
  const owner = 'arrowOfTimeTask';
  checkInteger(owner, 'frames', resolved.frames, 2);
  checkInteger(owner, 'frameStride', resolved.frameStride, 1);
  checkFrameOrderOptions(owner, resolved);
  const { frames, frameStride } = resolved;
  const span = (frames - 1) * frameStride + 1;
  const sampling = {
    owner,
    minimumFrames: span,
    framesPerExample: frames,
    window: { span, motionQuantile: resolved.motionQuantile },
  };
  return {
    id: 'arrow-of-time',
    description: 'A strided clip from a high-motion window, played forward or reversed → which (Wei et al. 2018)',
    modality: 'video',
    options: resolved,
    head: frameFusionHeadSpec({ items: frames, fusion: 'concat', outputSize: 2, name: 'arrow_of_time_head' }, resolved),
    makeBatch(samples: Tensor, { rng }): ArrowOfTimeBatch {
      return makeFrameOrderBatch(samples, rng, sampling, ({ start }) => {
        const clip = Array.from({ length: frames }, (_, f) => start + f * frameStride);
        const forward = rng.bernoulli(0.5);
        return { frames: forward ? clip : clip.reverse(), label: forward ? 1 : 0 };
      });
    },
    ...frameClassification(2, 'arrowOfTimeAccuracy'),
  };
}
