import type { Tensor } from '@selfsup/backend';
import { frameClassification } from '../frame-classification.js';
import { frameFusionHeadSpec } from '../frame-fusion-head-spec.js';
import { type FrameOrderBatch, type FrameOrderTask, makeFrameOrderBatch } from '../frame-order-batch.js';
import { checkFraction, checkFrameOrderOptions, checkInteger } from '../frame-order-options.js';
import { sortedDistinctFrames } from '../frame-sequences.js';

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

/**
 * A Shuffle & Learn batch, a {@link FrameOrderBatch}: inputs [3N, H, W, C], rows 3n + slot; targets 1
 * when the three frames are in temporal order (either direction), 0 when shuffled [N]; frameIndices [N, 3].
 */
export type ShuffleAndLearnBatch = FrameOrderBatch;

export type ShuffleAndLearnTask = FrameOrderTask<ShuffleAndLearnTaskOptions>;

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
  checkFraction(owner, 'positiveFraction', resolved.positiveFraction);
  checkFrameOrderOptions(owner, resolved);
  const sampling = {
    owner,
    minimumFrames: 5,
    framesPerExample: 3,
    window: { span: resolved.windowSpan, motionQuantile: resolved.motionQuantile },
  };
  return {
    id: 'shuffle-and-learn',
    description:
      'Three frames of a high-motion window, in order or with the middle one swapped for an outside frame → in order or not (Shuffle and Learn, Misra, Zitnick & Hebert 2016)',
    modality: 'video',
    options: resolved,
    head: frameFusionHeadSpec({ items: 3, fusion: 'concat', outputSize: 2, name: 'shuffle_and_learn_head' }, resolved),
    makeBatch(samples: Tensor, { rng }): ShuffleAndLearnBatch {
      return makeFrameOrderBatch(samples, rng, sampling, ({ start, span }) => {
        // b < c < d leave `gap` frames free on each side; a and e come from there, ≥ gap away.
        const gap = Math.min(resolved.minimumGap, Math.floor((span - 3) / 2));
        const [b, c, d] = sortedDistinctFrames(start + gap, span - 2 * gap, 3, rng) as [number, number, number];
        const a = start + rng.int(b - gap - start + 1);
        const e = d + gap + rng.int(start + span - d - gap);
        const positive = rng.bernoulli(resolved.positiveFraction);
        let tuple = positive ? [b, c, d] : rng.bernoulli(0.5) ? [b, a, d] : [b, e, d];
        if (resolved.bothDirections && rng.bernoulli(0.5)) tuple = tuple.reverse();
        return { frames: tuple, label: positive ? 1 : 0 };
      });
    },
    ...frameClassification(2, 'orderVerificationAccuracy'),
  };
}
