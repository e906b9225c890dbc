import { type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { createFrameFusionHead } from '@selfsup/models';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
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
} from '../frame-sequences.js';

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

/** An arrow-of-time batch: the task's {@link TaskBatch} plus which frames it shows. */
export interface ArrowOfTimeBatch extends TaskBatch {
  /** Frames [frames·N, H, W, C], rows n·frames + slot. */
  inputs: Tensor4D;
  /** 1 when the clip plays forward, 0 backward [N] int32. */
  targets: Tensor1D;
  /** Frame number shown in each slot [N, frames] int32. */
  frameIndices: Tensor2D;
}

export interface ArrowOfTimeTask extends PretextTask<ArrowOfTimeTaskOptions, Tensor> {
  makeBatch(sequences: Tensor, context: TaskContext): ArrowOfTimeBatch;
}

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
  checkFraction(owner, 'motionQuantile', resolved.motionQuantile, true);
  checkInteger(owner, 'itemHiddenSize', resolved.itemHiddenSize, 1);
  checkInteger(owner, 'hiddenSize', resolved.hiddenSize, 1);
  const { frames, frameStride } = resolved;
  const span = (frames - 1) * frameStride + 1;
  return {
    id: 'arrow-of-time',
    description: 'A strided clip from a high-motion window, played forward or reversed → which (Wei et al. 2018)',
    modality: 'video',
    options: resolved,
    head: {
      kind: 'custom',
      create: (encoder, seed) =>
        createFrameFusionHead({
          inputSize: encoder.featureSize,
          items: frames,
          fusion: 'concat',
          itemHiddenSize: resolved.itemHiddenSize,
          hiddenSize: resolved.hiddenSize,
          outputSize: 2,
          seed,
          name: 'arrow_of_time_head',
        }),
    },
    makeBatch(samples: Tensor, { rng }): ArrowOfTimeBatch {
      const sequences = checkSequences(samples, owner, span);
      const [count, length] = sequences.shape;
      const motion = resolved.motionQuantile > 0 && span < length ? frameMotion(sequences) : undefined;
      const shown: number[] = [];
      const labels: number[] = [];
      for (let n = 0; n < count; n++) {
        const start = highMotionWindowStart(motion?.[n], length, span, resolved.motionQuantile, rng);
        const clip = Array.from({ length: frames }, (_, f) => start + f * frameStride);
        const forward = rng.bernoulli(0.5);
        shown.push(...(forward ? clip : clip.reverse()));
        labels.push(forward ? 1 : 0);
      }
      return tf.tidy(() => ({
        inputs: gatherFrames(sequences, shown, frames),
        targets: tf.tensor1d(labels, 'int32'),
        frameIndices: frameIndexTensor(shown, frames),
      }));
    },
    loss: (outputs: Tensor, batch: TaskBatch): Scalar => classificationLoss(outputs, batch.targets, 2),
    metrics: (outputs: Tensor, batch: TaskBatch) => ({
      arrowOfTimeAccuracy: classificationAccuracy(outputs, batch.targets),
    }),
  };
}
