import type { Tensor } from '@selfsup/backend';
import { frameClassification } from '../frame-classification.js';
import { frameFusionHeadSpec } from '../frame-fusion-head-spec.js';
import { type FrameOrderBatch, type FrameOrderTask, makeFrameOrderBatch } from '../frame-order-batch.js';
import { checkFrameOrderOptions, checkInteger } from '../frame-order-options.js';
import { allPermutations } from '../frame-permutations.js';

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

/**
 * A clip-order batch, a {@link FrameOrderBatch}: inputs [clips·clipLength·N, H, W, C], rows
 * (n·clips + slot)·clipLength + frame, each clip in its own order; targets, the permutation label
 * [N] (slot s shows the clip of rank `permutations[label][s]`); frameIndices [N, clips·clipLength].
 */
export type ClipOrderBatch = FrameOrderBatch;

export interface ClipOrderTask extends FrameOrderTask<ClipOrderTaskOptions> {
  /** `permutations[label][slot]`: the temporal rank of the clip in that slot. */
  readonly permutations: readonly (readonly number[])[];
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
  checkFrameOrderOptions(owner, resolved);
  const { clips, clipLength, frameStride, clipGap } = resolved;
  const clipSpan = (clipLength - 1) * frameStride + 1;
  const span = clips * clipSpan + (clips - 1) * clipGap;
  const permutations = allPermutations(clips);
  const framesPerExample = clips * clipLength;
  const sampling = {
    owner,
    minimumFrames: span,
    framesPerExample,
    window: { span, motionQuantile: resolved.motionQuantile },
  };
  return {
    id: 'clip-order',
    description: 'Short clips with gaps between them, shuffled → which permutation of the clips (VCOP, Xu et al. 2019)',
    modality: 'video',
    options: resolved,
    permutations,
    head: frameFusionHeadSpec(
      {
        items: clips,
        framesPerItem: clipLength,
        fusion: 'pairwise',
        outputSize: permutations.length,
        name: 'clip_order_head',
      },
      resolved,
    ),
    makeBatch(samples: Tensor, { rng }): ClipOrderBatch {
      return makeFrameOrderBatch(samples, rng, sampling, ({ start }) => {
        const label = rng.int(permutations.length);
        const frames = (permutations[label] as number[]).flatMap((rank) => {
          const clipStart = start + rank * (clipSpan + clipGap);
          return Array.from({ length: clipLength }, (_, f) => clipStart + f * frameStride);
        });
        return { frames, label };
      });
    },
    ...frameClassification(permutations.length, 'clipOrderAccuracy'),
  };
}
