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
  sortedDistinctFrames,
} from '../frame-sequences.js';

export interface ShuffleAndLearnTaskOptions {
  /** Frames of the window the five candidate frames a < b < c < d < e are drawn from (default 10). */
  windowSpan: number;
  /**
   * Fewest frames between a negative's outside frame and the nearer outer frame: b − a ≥ gap and
   * e − d ≥ gap (the paper's τ_min; default round(windowSpan / 4), its τ_min / τ_max = 15 / 60).
   * A frame or two off, a negative looks just like a positive and the task is unlearnable. For
   * sequences shorter than the window it shrinks to fit (at most (frames − 3) / 2).
   */
  minimumGap: number;
  /** Windows are drawn among those whose motion is at or above this quantile (default 0.5; 0: any window). */
  motionQuantile: number;
  /** Share of positive (in-order) tuples (default 0.5). */
  positiveFraction: number;
  /** Show every tuple backwards with probability 0.5 (default true): the direction of time is not the cue. */
  bothDirections: boolean;
  /** Shared per-frame layer of the head (default 256). */
  itemHiddenSize: number;
  /** Layer over the concatenated frames (default 256). */
  hiddenSize: number;
}

/** A Shuffle & Learn batch: the task's {@link TaskBatch} plus which frames it shows. */
export interface ShuffleAndLearnBatch extends TaskBatch {
  /** Frames [3N, H, W, C]: rows 3n + slot. */
  inputs: Tensor4D;
  /** 1 when the three frames are in temporal order (either direction), 0 when shuffled [N] int32. */
  targets: Tensor1D;
  /** Frame number shown in each slot [N, 3] int32. */
  frameIndices: Tensor2D;
}

export interface ShuffleAndLearnTask extends PretextTask<ShuffleAndLearnTaskOptions, Tensor> {
  makeBatch(sequences: Tensor, context: TaskContext): ShuffleAndLearnBatch;
}

/**
 * Shuffle & Learn (Misra, Zitnick & Hebert 2016, arXiv:1603.08561): temporal order verification.
 * From a high-motion window of each sequence (motion from frame differences) five frames
 * a < b < c < d < e are drawn, with b − a and e − d at least `minimumGap`; a positive tuple is
 * (b, c, d), a negative (b, a, d) or (b, e, d) — the same outer frames with a middle one from
 * outside them. A per-frame encoder with shared
 * weights sees the three frames; a {@link createFrameFusionHead} (concatenation) says in order or not.
 *
 * Shapes: sequences [N, T, H, W, C] (T ≥ 5) → inputs [3N, H, W, C], targets [N]; outputs [N, 2].
 *
 * @example
 * const task = shuffleAndLearnTask();
 * const objective = taskObjective(task, createSmallCnn({ inputShape: [32, 32, 1] }));
 * @throws if an option is out of range; from makeBatch, if the samples are not sequences of at least 5 frames.
 */
export function shuffleAndLearnTask(options: Partial<ShuffleAndLearnTaskOptions> = {}): ShuffleAndLearnTask {
  const windowSpan = options.windowSpan ?? 10;
  const resolved: ShuffleAndLearnTaskOptions = {
    windowSpan,
    minimumGap: options.minimumGap ?? Math.max(1, Math.round(windowSpan / 4)),
    motionQuantile: options.motionQuantile ?? 0.5,
    positiveFraction: options.positiveFraction ?? 0.5,
    bothDirections: options.bothDirections ?? true,
    itemHiddenSize: options.itemHiddenSize ?? 256,
    hiddenSize: options.hiddenSize ?? 256,
  };
  const owner = 'shuffleAndLearnTask';
  checkInteger(owner, 'windowSpan', resolved.windowSpan, 5);
  checkInteger(owner, 'minimumGap', resolved.minimumGap, 1);
  if (3 + 2 * resolved.minimumGap > resolved.windowSpan) {
    throw new Error(
      `${owner}: a window of ${resolved.windowSpan} frames cannot hold b < c < d with ${resolved.minimumGap} frames free on each side (minimumGap); it needs windowSpan ≥ ${3 + 2 * resolved.minimumGap}`,
    );
  }
  checkFraction(owner, 'motionQuantile', resolved.motionQuantile, true);
  checkFraction(owner, 'positiveFraction', resolved.positiveFraction);
  checkInteger(owner, 'itemHiddenSize', resolved.itemHiddenSize, 1);
  checkInteger(owner, 'hiddenSize', resolved.hiddenSize, 1);
  return {
    id: 'shuffle-and-learn',
    description:
      'Three frames of a high-motion window, in order or with the middle one swapped for an outside frame → in order or not (Shuffle and Learn, Misra, Zitnick & Hebert 2016)',
    modality: 'video',
    options: resolved,
    head: {
      kind: 'custom',
      create: (encoder, seed) =>
        createFrameFusionHead({
          inputSize: encoder.featureSize,
          items: 3,
          fusion: 'concat',
          itemHiddenSize: resolved.itemHiddenSize,
          hiddenSize: resolved.hiddenSize,
          outputSize: 2,
          seed,
          name: 'shuffle_and_learn_head',
        }),
    },
    makeBatch(samples: Tensor, { rng }): ShuffleAndLearnBatch {
      const sequences = checkSequences(samples, owner, 5);
      const [count, length] = sequences.shape;
      const span = Math.min(resolved.windowSpan, length);
      const gap = Math.min(resolved.minimumGap, Math.floor((span - 3) / 2));
      const motion = resolved.motionQuantile > 0 && span < length ? frameMotion(sequences) : undefined;
      const shown: number[] = [];
      const labels: number[] = [];
      for (let n = 0; n < count; n++) {
        const start = highMotionWindowStart(motion?.[n], length, span, resolved.motionQuantile, rng);
        // b < c < d leave `gap` frames free on each side; a and e come from there, ≥ gap away.
        const [b, c, d] = sortedDistinctFrames(start + gap, span - 2 * gap, 3, rng) as [number, number, number];
        const a = start + rng.int(b - gap - start + 1);
        const e = d + gap + rng.int(start + span - d - gap);
        const positive = rng.bernoulli(resolved.positiveFraction);
        let tuple = positive ? [b, c, d] : rng.bernoulli(0.5) ? [b, a, d] : [b, e, d];
        if (resolved.bothDirections && rng.bernoulli(0.5)) tuple = tuple.reverse();
        shown.push(...tuple);
        labels.push(positive ? 1 : 0);
      }
      return tf.tidy(() => ({
        inputs: gatherFrames(sequences, shown, 3),
        targets: tf.tensor1d(labels, 'int32'),
        frameIndices: frameIndexTensor(shown, 3),
      }));
    },
    loss: (outputs: Tensor, batch: TaskBatch): Scalar => classificationLoss(outputs, batch.targets, 2),
    metrics: (outputs: Tensor, batch: TaskBatch) => ({
      orderVerificationAccuracy: classificationAccuracy(outputs, batch.targets),
    }),
  };
}
