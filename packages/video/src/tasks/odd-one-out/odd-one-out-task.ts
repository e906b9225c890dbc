import type { Tensor } from '@selfsup/backend';
import { frameClassification } from '../frame-classification.js';
import { frameFusionHeadSpec } from '../frame-fusion-head-spec.js';
import { type FrameOrderBatch, type FrameOrderTask, makeFrameOrderBatch } from '../frame-order-batch.js';
import { checkFrameOrderOptions, checkInteger } from '../frame-order-options.js';
import { allPermutations, isMonotonic } from '../frame-permutations.js';
import { sortedDistinctFrames } from '../frame-sequences.js';

export interface OddOneOutTaskOptions {
  /** Sequences per question, one of them shuffled (default 4; the paper: 6). */
  sequences: number;
  /** Frames per sequence (default 3). */
  framesPerSequence: number;
  /** Frames of the window each sequence is drawn from (default 8). */
  windowSpan: number;
  /** Shared per-sequence layer over its frames, concatenated in order (default 256). */
  itemHiddenSize: number;
  /** Layer over all sequences (default 256). */
  hiddenSize: number;
}

/**
 * An odd-one-out batch, a {@link FrameOrderBatch}: inputs [sequences·framesPerSequence·N, H, W, C],
 * rows (n·sequences + s)·framesPerSequence + f; targets, the position of the shuffled sequence [N];
 * frameIndices [N, sequences·framesPerSequence].
 */
export type OddOneOutBatch = FrameOrderBatch;

export type OddOneOutTask = FrameOrderTask<OddOneOutTaskOptions>;

/**
 * Odd-one-out (O3N, Fernando, Bilen, Gavves & Gould 2017, arXiv:1611.06646): a question holds
 * several frame sequences from one video; all are in temporal order but one, whose frames are
 * shuffled (neither forward nor backward). The network points at the odd one. Each frame goes
 * through the shared per-frame encoder; a concatenating {@link createFrameFusionHead} reads each
 * sequence's frames in order, joins the sequences and classifies the odd position.
 *
 * Shapes: sequences [N, T, H, W, C] → inputs [S·F·N, H, W, C], targets [N] in 0..S−1; outputs [N, S].
 *
 * @example
 * const task = oddOneOutTask({ sequences: 4, framesPerSequence: 3 });
 * @throws if an option is out of range; from makeBatch, if the samples are not sequences of enough frames.
 */
export function oddOneOutTask(options: Partial<OddOneOutTaskOptions> = {}): OddOneOutTask {
  const resolved: OddOneOutTaskOptions = {
    sequences: options.sequences ?? 4,
    framesPerSequence: options.framesPerSequence ?? 3,
    windowSpan: options.windowSpan ?? 8,
    itemHiddenSize: options.itemHiddenSize ?? 256,
    hiddenSize: options.hiddenSize ?? 256,
  };
  const owner = 'oddOneOutTask';
  checkInteger(owner, 'sequences', resolved.sequences, 2);
  checkInteger(owner, 'framesPerSequence', resolved.framesPerSequence, 3);
  checkInteger(owner, 'windowSpan', resolved.windowSpan, resolved.framesPerSequence);
  checkFrameOrderOptions(owner, resolved);
  const { sequences: questions, framesPerSequence } = resolved;
  // Shuffles that are neither the order nor its reverse.
  const shuffles = allPermutations(framesPerSequence).filter((p) => !isMonotonic(p));
  const framesPerExample = questions * framesPerSequence;
  const sampling = { owner, minimumFrames: framesPerSequence, framesPerExample };
  return {
    id: 'odd-one-out',
    description: 'Several frame sequences, one of them shuffled → which one is (O3N, Fernando et al. 2017)',
    modality: 'video',
    options: resolved,
    head: frameFusionHeadSpec(
      {
        items: questions,
        framesPerItem: framesPerSequence,
        fusion: 'concat',
        outputSize: questions,
        name: 'odd_one_out_head',
      },
      resolved,
    ),
    makeBatch(samples: Tensor, { rng }): OddOneOutBatch {
      // Each sequence of a question comes from its own window anywhere in the video.
      return makeFrameOrderBatch(samples, rng, sampling, ({ length }) => {
        const span = Math.min(resolved.windowSpan, length);
        const odd = rng.int(questions);
        const frames = Array.from({ length: questions }, (_, s) => {
          const sorted = sortedDistinctFrames(rng.int(length - span + 1), span, framesPerSequence, rng);
          if (s !== odd) return sorted;
          const shuffle = shuffles[rng.int(shuffles.length)] as number[];
          return shuffle.map((rank) => sorted[rank] as number);
        });
        return { frames: frames.flat(), label: odd };
      });
    },
    ...frameClassification(questions, 'oddOneOutAccuracy'),
  };
}
