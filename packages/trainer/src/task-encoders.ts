import type { Encoder } from '@selfsup/models';
import type { EncoderInput, PretextTask } from '@selfsup/pretext';
import { copyWeights } from './methods/view-objective.js';

/** Options of {@link taskEncoders}. */
export interface TaskEncodersOptions {
  /** Per-example shape of the task's samples, `[H, W, C]` (e.g. `[64, 64, 3]` photo patches). */
  sampleShape: readonly number[];
  /**
   * Height and width of the images the encoder is evaluated and used on (e.g. `[28, 28]`
   * Fashion-MNIST); their channels are the encoder's. Default: the samples'.
   */
  evaluationSize?: readonly [number, number];
  /**
   * Makes an encoder for an input: its shape, whether it sees raw pixels (then it may standardize
   * them with the data's statistics), and for a patch-token task the patch side (a ViT).
   */
  create(input: EncoderInput): Encoder;
}

/** The encoder a task trains, and the one evaluated on whole images. */
export interface TaskEncoders {
  /** The encoder the task trains: on its tiles, its lightness channel, or the images themselves. */
  encoder: Encoder;
  /**
   * The encoder for whole images: `encoder` itself when it takes them, else a twin of the same
   * architecture at the images' size that standardizes their pixels, and gets the trained weights
   * from {@link TaskEncoders.copyTrainedWeights}.
   */
  evaluationEncoder: Encoder;
  /** Copies the trained weights into the twin (nothing without one). Call once pretraining is done. */
  copyTrainedWeights(): void;
  /** Disposes the encoders made here. */
  dispose(): void;
}

/**
 * The encoders a pretext task needs, read from its declaration (`task.encoderInput`): the encoder
 * it trains — for jigsaw a network on 7×7 tiles the task standardized, for colorization one on
 * the lightness channel, for MAE a ViT with the task's patch size — and the encoder evaluated on
 * whole images. When the task shows its encoder something smaller than the images (tiles), that is
 * a full-size twin of the same convolutional network: it keeps the scale the features were
 * learned at and gets the trained weights (`copyWeights`), as Noroozi & Favaro and Doersch et al.
 * reuse their tile networks.
 *
 * Shapes: the trained encoder takes `[N, ...input.shape]`; the evaluation encoder
 * `[N, ...evaluationSize, input.shape[2]]`; both give features `[N, featureSize]`.
 *
 * @example
 * const task = visionTasks.jigsaw({ permutations: 100 });
 * const encoders = taskEncoders(task, {
 *   sampleShape: [28, 28, 1],
 *   create: ({ shape, pixels }) =>
 *     createSmallCnn({ inputShape: shape as [number, number, number], ...(pixels ? { normalization: FASHION_MNIST_NORMALIZATION } : {}) }),
 * });
 * const objective = taskObjective(task, encoders.encoder); // 7×7 tiles
 * // … pretrain({ objective, … }), then:
 * encoders.copyTrainedWeights(); // encoders.evaluationEncoder: 28×28, standardized, trained weights
 * @throws from `copyTrainedWeights` when the twin's variables do not match (an architecture whose
 *   weights depend on the input size, such as a ViT's position embeddings).
 */
export function taskEncoders(task: PretextTask<object, unknown>, options: TaskEncodersOptions): TaskEncoders {
  const sampleShape = [...options.sampleShape];
  const input = task.encoderInput?.(sampleShape) ?? { shape: sampleShape, pixels: true };
  const encoder = options.create(input);
  const [height, width] = options.evaluationSize ?? [sampleShape[0] as number, sampleShape[1] as number];
  const wholeImages = [height, width, input.shape[2] as number];
  if (wholeImages.every((size, axis) => size === input.shape[axis])) {
    return { encoder, evaluationEncoder: encoder, copyTrainedWeights() {}, dispose: () => encoder.dispose() };
  }
  const twin = options.create({ ...input, shape: wholeImages, pixels: true });
  return {
    encoder,
    evaluationEncoder: twin,
    copyTrainedWeights: () => copyWeights(twin, encoder),
    dispose() {
      encoder.dispose();
      twin.dispose();
    },
  };
}
