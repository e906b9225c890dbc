import { type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { createFrameFusionHead } from '@selfsup/models';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
import { allPermutations } from '../frame-permutations.js';
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

export interface ClipOrderTaskOptions {
  /** Clips to order: 3 (3! = 6 classes) or 4 (24 classes). */
  clips: 3 | 4;
  /** Frames per clip (default 3). */
  clipLength: number;
  /** Frame numbers between the frames of a clip (default 1). */
  frameStride: number;
  /** Frames left out between consecutive clips (default 1). */
  clipGap: number;
  /** Windows are drawn among those whose motion is at or above this quantile (default 0: any window). */
  motionQuantile: number;
  /** Shared per-clip layer over the clip's frames, concatenated in order (default 256). */
  itemHiddenSize: number;
  /** Shared layer over each pair of clips (default 128). */
  pairHiddenSize: number;
}

/** A clip-order batch: the task's {@link TaskBatch} plus which frames it shows. */
export interface ClipOrderBatch extends TaskBatch {
  /** Frames [clips·clipLength·N, H, W, C], rows (n·clips + slot)·clipLength + frame; each clip in its own order. */
  inputs: Tensor4D;
  /** Permutation label [N] int32: slot s shows the clip of rank `permutations[label][s]`. */
  targets: Tensor1D;
  /** Frame number of every input row [N, clips·clipLength] int32. */
  frameIndices: Tensor2D;
}

export interface ClipOrderTask extends PretextTask<ClipOrderTaskOptions, Tensor> {
  /** `permutations[label][slot]`: the temporal rank of the clip in that slot. */
  readonly permutations: readonly (readonly number[])[];
  makeBatch(sequences: Tensor, context: TaskContext): ClipOrderBatch;
}

/**
 * Clip order prediction (VCOP, Xu, Xiao, Zhao, Shao, Zhuang 2019, CVPR): 3 or 4 short clips taken
 * in sequence (with gaps) from each video are shuffled; the network names the permutation among
 * clips! classes. Each frame goes through the shared per-frame encoder; a pairwise
 * {@link createFrameFusionHead} reads each clip's frames in order (its motion), compares every
 * pair of clips, then classifies (the paper's 3D-CNN clip features are here a 2D encoder per frame).
 *
 * Shapes: sequences [N, T, H, W, C] (T ≥ clips·clipSpan + (clips − 1)·clipGap) →
 * inputs [clips·clipLength·N, H, W, C], targets [N]; outputs [N, clips!].
 *
 * @example
 * const task = clipOrderTask({ clips: 3, clipLength: 3 });
 * @throws if an option is out of range; from makeBatch, if the sequences are too short for the clips.
 */
export function clipOrderTask(options: Partial<ClipOrderTaskOptions> = {}): ClipOrderTask {
  const resolved: ClipOrderTaskOptions = {
    clips: options.clips ?? 3,
    clipLength: options.clipLength ?? 3,
    frameStride: options.frameStride ?? 1,
    clipGap: options.clipGap ?? 1,
    motionQuantile: options.motionQuantile ?? 0,
    itemHiddenSize: options.itemHiddenSize ?? 256,
    pairHiddenSize: options.pairHiddenSize ?? 128,
  };
  const owner = 'clipOrderTask';
  checkInteger(owner, 'clips', resolved.clips, 3, 4);
  checkInteger(owner, 'clipLength', resolved.clipLength, 1);
  checkInteger(owner, 'frameStride', resolved.frameStride, 1);
  checkInteger(owner, 'clipGap', resolved.clipGap, 0);
  checkFraction(owner, 'motionQuantile', resolved.motionQuantile, true);
  checkInteger(owner, 'itemHiddenSize', resolved.itemHiddenSize, 1);
  checkInteger(owner, 'pairHiddenSize', resolved.pairHiddenSize, 1);
  const { clips, clipLength, frameStride, clipGap } = resolved;
  const clipSpan = (clipLength - 1) * frameStride + 1;
  const span = clips * clipSpan + (clips - 1) * clipGap;
  const permutations = allPermutations(clips);
  const perExample = clips * clipLength;
  return {
    id: 'clip-order',
    description: 'Short clips with gaps between them, shuffled → which permutation of the clips (VCOP, Xu et al. 2019)',
    modality: 'video',
    options: resolved,
    permutations,
    head: {
      kind: 'custom',
      create: (encoder, seed) =>
        createFrameFusionHead({
          inputSize: encoder.featureSize,
          items: clips,
          framesPerItem: clipLength,
          fusion: 'pairwise',
          itemHiddenSize: resolved.itemHiddenSize,
          pairHiddenSize: resolved.pairHiddenSize,
          outputSize: permutations.length,
          seed,
          name: 'clip_order_head',
        }),
    },
    makeBatch(samples: Tensor, { rng }): ClipOrderBatch {
      const sequences = checkSequences(samples, owner, span);
      const [count, length] = sequences.shape;
      const motion = resolved.motionQuantile > 0 && span < length ? frameMotion(sequences) : undefined;
      const shown: number[] = [];
      const labels: number[] = [];
      for (let n = 0; n < count; n++) {
        const start = highMotionWindowStart(motion?.[n], length, span, resolved.motionQuantile, rng);
        const label = rng.int(permutations.length);
        for (const rank of permutations[label] as number[]) {
          const clipStart = start + rank * (clipSpan + clipGap);
          for (let f = 0; f < clipLength; f++) shown.push(clipStart + f * frameStride);
        }
        labels.push(label);
      }
      return tf.tidy(() => ({
        inputs: gatherFrames(sequences, shown, perExample),
        targets: tf.tensor1d(labels, 'int32'),
        frameIndices: frameIndexTensor(shown, perExample),
      }));
    },
    loss: (outputs: Tensor, batch: TaskBatch): Scalar =>
      classificationLoss(outputs, batch.targets, permutations.length),
    metrics: (outputs: Tensor, batch: TaskBatch) => ({
      clipOrderAccuracy: classificationAccuracy(outputs, batch.targets),
    }),
  };
}
