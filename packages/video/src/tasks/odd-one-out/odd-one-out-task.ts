import { type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { createFrameFusionHead } from '@selfsup/models';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
import { allPermutations, isMonotonic } from '../frame-permutations.js';
import {
  checkInteger,
  checkSequences,
  classificationAccuracy,
  classificationLoss,
  frameIndexTensor,
  gatherFrames,
  sortedDistinctFrames,
} from '../frame-sequences.js';

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

/** An odd-one-out batch: the task's {@link TaskBatch} plus which frames it shows. */
export interface OddOneOutBatch extends TaskBatch {
  /** Frames [sequences·framesPerSequence·N, H, W, C], rows (n·sequences + s)·framesPerSequence + f. */
  inputs: Tensor4D;
  /** Position of the shuffled sequence [N] int32. */
  targets: Tensor1D;
  /** Frame number of every input row [N, sequences·framesPerSequence] int32. */
  frameIndices: Tensor2D;
}

export interface OddOneOutTask extends PretextTask<OddOneOutTaskOptions, Tensor> {
  makeBatch(sequences: Tensor, context: TaskContext): OddOneOutBatch;
}

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
  checkInteger(owner, 'itemHiddenSize', resolved.itemHiddenSize, 1);
  checkInteger(owner, 'hiddenSize', resolved.hiddenSize, 1);
  const { sequences: questions, framesPerSequence } = resolved;
  // Shuffles that are neither the order nor its reverse.
  const shuffles = allPermutations(framesPerSequence).filter((p) => !isMonotonic(p));
  const perExample = questions * framesPerSequence;
  return {
    id: 'odd-one-out',
    description: 'Several frame sequences, one of them shuffled → which one is (O3N, Fernando et al. 2017)',
    modality: 'video',
    options: resolved,
    head: {
      kind: 'custom',
      create: (encoder, seed) =>
        createFrameFusionHead({
          inputSize: encoder.featureSize,
          items: questions,
          framesPerItem: framesPerSequence,
          fusion: 'concat',
          itemHiddenSize: resolved.itemHiddenSize,
          hiddenSize: resolved.hiddenSize,
          outputSize: questions,
          seed,
          name: 'odd_one_out_head',
        }),
    },
    makeBatch(samples: Tensor, { rng }): OddOneOutBatch {
      const sequences = checkSequences(samples, owner, framesPerSequence);
      const [count, length] = sequences.shape;
      const span = Math.min(resolved.windowSpan, length);
      const shown: number[] = [];
      const labels: number[] = [];
      for (let n = 0; n < count; n++) {
        const odd = rng.int(questions);
        for (let s = 0; s < questions; s++) {
          const frames = sortedDistinctFrames(rng.int(length - span + 1), span, framesPerSequence, rng);
          if (s === odd) {
            const shuffle = shuffles[rng.int(shuffles.length)] as number[];
            shown.push(...shuffle.map((rank) => frames[rank] as number));
          } else {
            shown.push(...frames);
          }
        }
        labels.push(odd);
      }
      return tf.tidy(() => ({
        inputs: gatherFrames(sequences, shown, perExample),
        targets: tf.tensor1d(labels, 'int32'),
        frameIndices: frameIndexTensor(shown, perExample),
      }));
    },
    loss: (outputs: Tensor, batch: TaskBatch): Scalar => classificationLoss(outputs, batch.targets, questions),
    metrics: (outputs: Tensor, batch: TaskBatch) => ({
      oddOneOutAccuracy: classificationAccuracy(outputs, batch.targets),
    }),
  };
}
