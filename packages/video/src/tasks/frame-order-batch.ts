import {
  type Rng,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor4D,
  type Tensor5D,
  tf,
} from '@selfsup/backend';
import type { PretextTask, TaskBatch, TaskContext } from '@selfsup/pretext';
import { checkSequences, type FrameWindow, frameIndexTensor, gatherFrames, sampleWindows } from './frame-sequences.js';

/** A batch of a frame-order classification task: the frames shown, one label per example, and which frames they are. */
export interface FrameOrderBatch extends TaskBatch {
  /** Frames [framesPerExample·N, H, W, C], rows n·framesPerExample + slot. */
  inputs: Tensor4D;
  /** The class of each example [N] int32. */
  targets: Tensor1D;
  /** Frame number of every input row [N, framesPerExample] int32. */
  frameIndices: Tensor2D;
}

/**
 * A frame-order task: a {@link PretextTask} on frame sequences [N, T, H, W, C] whose batches show
 * chosen frames of them ({@link FrameOrderBatch} for the tasks that classify each example).
 */
export interface FrameOrderTask<Options extends object, Batch extends TaskBatch = FrameOrderBatch>
  extends PretextTask<Options, Tensor> {
  makeBatch(sequences: Tensor, context: TaskContext): Batch;
}

/** One example of a frame-order task: the frame numbers it shows, slot by slot, and its class. */
export interface FrameOrderExample {
  frames: readonly number[];
  label: number;
}

/** How a frame-order task draws its examples from a batch of frame sequences. */
export interface FrameOrderSampling {
  /** Names the task in errors (`orderPredictionTask`). */
  owner: string;
  /** Fewest frames a sequence may have. */
  minimumFrames: number;
  /** Frames shown per example: each example's `frames` has this many. */
  framesPerExample: number;
  /**
   * The window each example is drawn from: `span` frames (at most the sequence's length), among the
   * windows whose motion is at or above `motionQuantile` ({@link sampleWindows}). Left out: the
   * whole sequence, with no draw.
   */
  window?: { span: number; motionQuantile: number };
}

/**
 * Gathers the frames of a frame-order batch: `shown[r]` is the frame number of row r, taken from
 * sequence ⌊r / framesPerExample⌋; `labels` one class per sequence. Tensors are the caller's.
 */
export function assembleFrameOrderBatch(
  sequences: Tensor5D,
  shown: readonly number[],
  labels: readonly number[],
  framesPerExample: number,
): FrameOrderBatch {
  return tf.tidy(() => ({
    inputs: gatherFrames(sequences, shown, framesPerExample),
    targets: tf.tensor1d([...labels], 'int32'),
    frameIndices: frameIndexTensor(shown, framesPerExample),
  }));
}

/**
 * Makes a frame-order classification batch from frame sequences [N, T, H, W, C]: checks them, draws
 * one window per sequence, lets `example` choose from it the frames shown and the label (its own
 * random draws follow its window's), and gathers the frames ([framesPerExample·N, H, W, C]).
 * `transformInputs` (inside the batch's tidy) changes the gathered frames, e.g. to drop colour cues.
 *
 * @example
 * makeFrameOrderBatch(samples, rng, { owner, minimumFrames: 4, framesPerExample: 4, window }, ({ start }) => …);
 * @throws if the samples are not sequences of at least `minimumFrames` frames.
 */
export function makeFrameOrderBatch(
  samples: Tensor,
  rng: Rng,
  sampling: FrameOrderSampling,
  example: (window: FrameWindow & { length: number }) => FrameOrderExample,
  transformInputs?: (inputs: Tensor4D) => Tensor4D,
): FrameOrderBatch {
  const sequences = checkSequences(samples, sampling.owner, sampling.minimumFrames);
  const length = sequences.shape[1];
  const examples = sampleWindows(
    sequences,
    { span: Math.min(sampling.window?.span ?? length, length), motionQuantile: sampling.window?.motionQuantile ?? 0 },
    rng,
    (window) => example({ ...window, length }),
  );
  const shown = examples.flatMap((drawn) => drawn.frames);
  const labels = examples.map((drawn) => drawn.label);
  return tf.tidy(() => {
    const { inputs, targets, frameIndices } = assembleFrameOrderBatch(
      sequences,
      shown,
      labels,
      sampling.framesPerExample,
    );
    return { inputs: transformInputs === undefined ? inputs : transformInputs(inputs), targets, frameIndices };
  });
}
