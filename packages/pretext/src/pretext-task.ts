import type { Rng, Scalar, Tensor, Tensor2D, Variable } from '@selfsup/backend';

/** The kind of data a task consumes. */
export type Modality = 'image' | 'text' | 'video';

/** Whether a forward pass trains or evaluates. */
export interface ForwardMode {
  training: boolean;
}

/** The part of an encoder a task uses (structurally, `@selfsup/models`' Encoder satisfies it). */
export interface TaskEncoder {
  readonly featureSize: number;
  apply(inputs: Tensor, mode: ForwardMode): Tensor2D;
}

/** The part of a head a task uses. */
export interface TaskHead {
  readonly outputSize: number;
  apply(features: Tensor2D, mode: ForwardMode): Tensor2D;
}

/** Per-batch context: a seeded random stream (forked per batch by the trainer) and the mode. */
export interface TaskContext {
  rng: Rng;
  training: boolean;
}

/** What a task made from a batch of raw samples. Owned by the caller, who disposes it. */
export interface TaskBatch {
  /** What the encoder sees, e.g. the four rotations of each image, [4N, H, W, C]. */
  inputs: Tensor;
  /** What the loss compares against, e.g. rotation labels [4N] int32. */
  targets: Tensor;
  /** Optional per-target weights (1 = counts, 0 = ignored), e.g. MLM's selected positions. */
  weights?: Tensor;
}

/**
 * The head a task needs on top of the encoder's features, described so the trainer can build it
 * (tasks do not depend on a model package): a linear layer or an MLP to `outputSize` values.
 * `custom`: the task builds its own head (decoders, heads over several features per example).
 * `none`: the task's `forward` produces its outputs itself.
 */
export type TaskHeadSpec =
  | { kind: 'linear'; outputSize: number }
  | { kind: 'mlp'; hiddenSize: number; outputSize: number }
  | { kind: 'custom'; create(encoder: TaskEncoder, seed: number): TaskOwnedHead }
  | { kind: 'none' };

/**
 * A head a task builds itself (`head: { kind: 'custom', create }`): a decoder, or a classifier
 * over several feature vectors per example (jigsaw's tiles). Shaped as `@selfsup/models`' Head, so
 * the trainer optimizes, checkpoints and disposes it like the heads it builds.
 */
export interface TaskOwnedHead extends TaskHead {
  readonly name: string;
  readonly inputSize: number;
  readonly trainableVariables: Variable[];
  readonly stateVariables: Variable[];
  readonly config: { kind: string; options: Record<string, unknown> };
  dispose(): void;
}

/**
 * What a task shows its encoder for samples of a given shape ({@link PretextTask.encoderInput}):
 * what a face reads to build the encoder a task trains, and to know when downstream use needs a
 * full-size twin of it (the tiles of jigsaw are smaller than the images).
 */
export interface EncoderInput {
  /** The encoder's per-example input shape, e.g. `[7, 7, 3]` for tiles of `[28, 28, 3]` images. */
  shape: number[];
  /**
   * True when the encoder sees the samples' pixels as they are, so it may standardize them with
   * the data's statistics; false when the task standardized them itself (jigsaw's tiles) or shows
   * something else (colorization's lightness), which the encoder takes as it comes.
   */
  pixels: boolean;
  /** The encoder must be a patch-token encoder (a ViT) with patches of this side (MAE). */
  patchSize?: number;
}

/**
 * What a text task trains on beyond a corpus's token ids ({@link PretextTask.textInputs}): how
 * documents become samples, the encoders it can train, and what the tokenizer must provide.
 */
export interface TextTaskInputs {
  /**
   * `packed`: sentences packed into `[CLS] … [SEP]` sequences of the run's sequence length (samples
   * [N, L]); `segments`: `segments` consecutive segments of a document per sample (samples [N, S, L']).
   */
  readonly samples: 'packed' | 'segments';
  /** Segments per sample (the `segments` layout). */
  readonly segments?: number;
  /** The encoders (model ids: `text-transformer`, `word2vec`, …) it can train, the default first; left out: any text encoder. */
  readonly models?: readonly string[];
  /** The tokenizer needs T5's sentinel tokens (`<extra_id_0>`, …). */
  readonly sentinels?: boolean;
  /** The task takes token counts over the corpus (its `counts` option). */
  readonly counts?: boolean;
}

/**
 * A self-supervised pretext task: turns raw samples into (input, target) batches, names the head
 * it needs, and scores outputs. Tasks are plain objects made by factories (`rotationTask(options)`).
 *
 * To add a task: one file with its factory (its `description`, and a TSDoc line on each field of
 * its options interface) and a test beside it, one line in its package's task map — the map is how
 * a task is reached (`visionTasks.rotation(options)`); nothing else lists it (see docs/adding-a-task.md).
 */
export interface PretextTask<Options extends object = object, Samples = Tensor> {
  /** Registry id, kebab-case (`rotation`, `jigsaw`, `bert-mlm`). */
  readonly id: string;
  /**
   * One line for `selfsup list` and the generated task reference: what the encoder sees → what is
   * predicted, and the paper (`each image in its 4 rotations → which rotation (RotNet, Gidaris et
   * al. 2018)`). The built-in tasks all have one (their map's test checks); optional so that tasks
   * written before it still type-check.
   */
  readonly description?: string;
  readonly modality: Modality;
  /** The options with every default filled in (what a saved run records). */
  readonly options: Readonly<Options>;
  readonly head: TaskHeadSpec;
  /**
   * A classification task's accuracy by guessing (1 / classes: ¼ for four rotations): the floor
   * its held-out accuracy is read against. Undefined for other tasks.
   */
  readonly chance?: number;
  /**
   * What the encoder sees, given samples of per-example shape `sampleShape` (images `[H, W, C]`).
   * Undefined: the samples themselves, as pixels. Tasks that show the encoder tiles, another
   * channel or patch tokens declare it, so a face builds the right encoder without knowing the task.
   */
  encoderInput?(sampleShape: readonly number[]): EncoderInput;
  /** A text task's inputs: its samples' layout, the encoders it trains, what its tokenizer needs. Undefined: packed sequences, any text encoder. */
  readonly textInputs?: TextTaskInputs;
  /** Makes a batch from raw samples (e.g. images [N, H, W, C] in [0, 1]). Deterministic given `context.rng`. */
  makeBatch(samples: Samples, context: TaskContext): TaskBatch;
  /**
   * Outputs for a batch. Optional: by default the trainer computes `head(encoder(batch.inputs))`;
   * tasks with several inputs per example or token-level outputs (jigsaw, MAE) override it.
   */
  forward?(encoder: TaskEncoder, head: TaskHead | undefined, batch: TaskBatch, mode: ForwardMode): Tensor;
  /** The training loss of the outputs. */
  loss(outputs: Tensor, batch: TaskBatch): Scalar;
  /**
   * Metrics worth logging (e.g. pretext accuracy): one-value tensors `[]`, which the caller reads
   * in one asynchronous readback (`readScalars` from `@selfsup/backend`) and disposes, so they are
   * read on every backend (WebGPU has no synchronous readback); plain numbers are accepted too.
   */
  metrics?(outputs: Tensor, batch: TaskBatch): MetricValues;
}

/**
 * Metrics by name: one-value tensors (`[]`) the caller reads in one readback and disposes
 * (`readScalars`), or plain numbers.
 *
 * @example
 * const metrics: MetricValues = { rotationAccuracy: tf.mean(correct) };
 * const { rotationAccuracy } = await readScalars(metrics);
 */
export type MetricValues = Record<string, Scalar | number>;

/** A factory of a task from (partial) options. */
export type TaskFactory<Options extends object = object, Samples = Tensor> = (
  options?: Partial<Options>,
) => PretextTask<Options, Samples>;

/** What a task package exports: its factories by id. */
export type TaskMap = Record<string, (options?: never) => PretextTask<object, unknown>>;
