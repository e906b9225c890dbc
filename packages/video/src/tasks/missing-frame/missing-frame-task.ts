import { type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import type { TaskBatch } from '@selfsup/pretext';
import { frameClassification } from '../frame-classification.js';
import { frameFusionHeadSpec } from '../frame-fusion-head-spec.js';
import type { FrameOrderTask } from '../frame-order-batch.js';
import { checkFrameOrderOptions, checkInteger } from '../frame-order-options.js';
import { checkSequences, frameIndexTensor, gatherFrames, sampleWindows } from '../frame-sequences.js';

/** `choose`: pick the missing frame among candidates; `regress`: predict its pixels (downscaled). */
export type MissingFrameMode = 'choose' | 'regress';

export interface MissingFrameTaskOptions {
  mode: MissingFrameMode;
  /** Context frames on each side of the missing one (default 2). */
  contextFrames: number;
  /** Frame numbers between consecutive frames of the context (default 1). */
  frameStride: number;
  /** `choose`: candidates, the missing frame and distractors from the same video (default 4). */
  candidates: number;
  /** `choose`: distractors are at least this many frames from the missing one (default 2). */
  minimumDistractorDistance: number;
  /** `regress`: the target is the missing frame resized to targetSize × targetSize (default 16). */
  targetSize: number;
  /** Windows are drawn among those whose motion is at or above this quantile (default 0.5; 0: any window). */
  motionQuantile: number;
  /** Shared per-frame layer of the head (default 256). */
  itemHiddenSize: number;
  /** Layer over the concatenated frames (default 256). */
  hiddenSize: number;
}

/** A missing-frame batch: the task's {@link TaskBatch} plus which frames it shows. */
export interface MissingFrameBatch extends TaskBatch {
  /**
   * Frames, per example: the context before, the context after, then (`choose`) the candidates —
   * [(2·contextFrames + candidates)·N, H, W, C], or [2·contextFrames·N, H, W, C] for `regress`.
   */
  inputs: Tensor4D;
  /** `choose`: the position of the missing frame among the candidates [N] int32; `regress`: its pixels [N, targetSize²·C]. */
  targets: Tensor;
  /** Frame number of every input row [N, rows per example] int32. */
  frameIndices: Tensor2D;
  /** The missing frame's number [N] int32. */
  missingFrames: Tensor1D;
}

export type MissingFrameTask = FrameOrderTask<MissingFrameTaskOptions, MissingFrameBatch>;

/**
 * Missing-frame prediction: from the frames around a hidden middle frame (same stride on both
 * sides), either choose the hidden frame among candidates drawn from the same video (`choose`, a
 * multiple-choice form of frame interpolation; distractors are never context frames and keep a
 * distance, so the answer is not a copy of a neighbour) or regress its pixels at low resolution
 * (`regress`, mean squared error — the frame-prediction objective of Srivastava et al. 2015).
 * Per-frame encoder with shared weights, concatenating {@link createFrameFusionHead}.
 *
 * Shapes: sequences [N, T, H, W, C] → inputs [(2c + K)·N, H, W, C] and targets [N] (`choose`), or
 * inputs [2c·N, H, W, C] and targets [N, targetSize²·C] (`regress`).
 *
 * @example
 * const task = missingFrameTask({ mode: 'choose', contextFrames: 2, candidates: 4 });
 * @throws if an option is out of range; from makeBatch, if the sequences are too short for the
 *   context and the distractors.
 */
export function missingFrameTask(options: Partial<MissingFrameTaskOptions> = {}): MissingFrameTask {
  const resolved: MissingFrameTaskOptions = {
    mode: options.mode ?? 'choose',
    contextFrames: options.contextFrames ?? 2,
    frameStride: options.frameStride ?? 1,
    candidates: options.candidates ?? 4,
    minimumDistractorDistance: options.minimumDistractorDistance ?? 2,
    targetSize: options.targetSize ?? 16,
    motionQuantile: options.motionQuantile ?? 0.5,
    itemHiddenSize: options.itemHiddenSize ?? 256,
    hiddenSize: options.hiddenSize ?? 256,
  };
  const owner = 'missingFrameTask';
  if (resolved.mode !== 'choose' && resolved.mode !== 'regress') {
    throw new Error(`${owner}: mode must be choose or regress; got '${String(resolved.mode)}'`);
  }
  checkInteger(owner, 'contextFrames', resolved.contextFrames, 1);
  checkInteger(owner, 'frameStride', resolved.frameStride, 1);
  checkInteger(owner, 'candidates', resolved.candidates, 2);
  checkInteger(owner, 'minimumDistractorDistance', resolved.minimumDistractorDistance, 1);
  checkInteger(owner, 'targetSize', resolved.targetSize, 1);
  checkFrameOrderOptions(owner, resolved);
  const { mode, contextFrames, frameStride, candidates, targetSize } = resolved;
  const choose = mode === 'choose';
  const span = 2 * contextFrames * frameStride + 1;
  const contextRows = 2 * contextFrames;
  const perExample = contextRows + (choose ? candidates : 0);
  // `choose` names the candidate; `regress` is scored by the squared error of the pixels.
  const objective = choose
    ? frameClassification(candidates, 'missingFrameAccuracy')
    : {
        loss: (outputs: Tensor, batch: TaskBatch): Scalar =>
          tf.tidy(() => tf.mean(tf.squaredDifference(outputs, batch.targets)) as Scalar),
        metrics: (outputs: Tensor, batch: TaskBatch): Record<string, Scalar> => ({
          missingFrameMse: tf.tidy(() => tf.mean(tf.squaredDifference(outputs, batch.targets)) as Scalar),
        }),
      };
  return {
    id: 'missing-frame',
    description:
      'The frames around a hidden one → the hidden frame, chosen among candidates from the same video or regressed at low resolution',
    modality: 'video',
    options: resolved,
    head: frameFusionHeadSpec((encoder) => {
      let outputSize = candidates;
      if (!choose) {
        const channels = (encoder as { inputShape?: readonly number[] }).inputShape?.[2];
        if (channels === undefined) throw new Error(`${owner}: regress needs an encoder with an inputShape`);
        outputSize = targetSize * targetSize * channels;
      }
      return {
        items: perExample,
        fusion: 'concat',
        outputSize,
        name: 'missing_frame_head',
      };
    }, resolved),
    makeBatch(samples: Tensor, { rng }): MissingFrameBatch {
      const sequences = checkSequences(samples, owner, span);
      const [count, length, , , channels] = sequences.shape;
      const shown: number[] = [];
      const labels: number[] = [];
      const window = { span, motionQuantile: resolved.motionQuantile };
      const missing = sampleWindows(sequences, window, rng, ({ start }) => {
        const middle = start + contextFrames * frameStride;
        const context = Array.from({ length: span }, (_, i) => start + i).filter(
          (f) => f !== middle && (f - start) % frameStride === 0,
        );
        shown.push(...context);
        if (choose) {
          const excluded = new Set(context);
          const pool: number[] = [];
          for (let f = 0; f < length; f++) {
            if (!excluded.has(f) && Math.abs(f - middle) >= resolved.minimumDistractorDistance) pool.push(f);
          }
          if (pool.length < candidates - 1) {
            throw new Error(
              `${owner}: sequences of ${length} frames leave ${pool.length} frame(s) for distractors; ${candidates - 1} are needed (use fewer candidates or longer sequences)`,
            );
          }
          rng.shuffle(pool);
          const answer = rng.int(candidates);
          const options = pool.slice(0, candidates - 1);
          options.splice(answer, 0, middle);
          shown.push(...options);
          labels.push(answer);
        }
        return middle;
      });
      return tf.tidy(() => {
        const inputs = gatherFrames(sequences, shown, perExample);
        let targets: Tensor;
        if (choose) {
          targets = tf.tensor1d(labels, 'int32');
        } else {
          const frames = gatherFrames(sequences, missing, 1);
          targets = tf.reshape(tf.image.resizeBilinear(frames, [targetSize, targetSize]), [
            count,
            targetSize * targetSize * channels,
          ]);
        }
        return {
          inputs,
          targets,
          frameIndices: frameIndexTensor(shown, perExample),
          missingFrames: tf.tensor1d(missing, 'int32'),
        };
      });
    },
    ...objective,
  };
}
