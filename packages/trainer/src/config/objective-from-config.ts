import { type Augmentation, compose, twoViews, type ViewMaker } from '@selfsup/augment';
import type { AugmentationContext, AugmentationDeclaration } from '@selfsup/augment/declarations';
import { createRng, type Rng, type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import type { LossDeclaration } from '@selfsup/losses/declarations';
import {
  CIFAR10_NORMALIZATION,
  type Encoder,
  FASHION_MNIST_NORMALIZATION,
  type InputNormalization,
} from '@selfsup/models';
import type { ModelContext, ModelDeclaration } from '@selfsup/models/declarations';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import type { MethodDeclaration } from '../methods/method-declaration.js';
import { ExperimentError } from '../run/experiment-error.js';
import { taskObjective } from '../task-objective.js';
import type { TrainingObjective } from '../training-objective.js';

/** A configured entry: its id and its validated options (defaults filled in). */
export interface EntryChoice {
  id: string;
  options: Record<string, unknown>;
}

/** How inputs are standardized: measured on the data (`auto`), a dataset's, none, or given per channel. */
export type NormalizationSetting = 'auto' | 'none' | 'fashion-mnist' | 'cifar10' | { mean: number[]; std: number[] };

/**
 * The parts of a validated run config that say what a run trains (a CLI config, an app's, a
 * form's): the encoder, a method (with its loss) or a task, and the augmentations.
 */
export interface ObjectiveConfig {
  seed: number;
  model: { kind?: string | undefined; options: Record<string, unknown>; normalization: NormalizationSetting };
  method?: EntryChoice | undefined;
  task?: EntryChoice | undefined;
  /** The view-pair loss of a method that takes one (`two-view`). */
  loss?: EntryChoice | undefined;
  /** A `preset` with its `options`, or a `pipeline` of ops (`{ op, …options }`); left out: the method's recipe. */
  augmentations?:
    | {
        preset?: string | undefined;
        options: Record<string, unknown>;
        pipeline?: Array<{ op: string; [option: string]: unknown }> | undefined;
      }
    | undefined;
}

/** A declaration as a registry holds it (a plugin's may leave out its id). */
type Declared<D extends { id: string }> = Omit<D, 'id'>;

/** Where the ids of an {@link ObjectiveConfig} are looked up: the declarations, plugins included. */
export interface ObjectiveRegistries {
  tasks: { create(id: string, options?: object): PretextTask<object, unknown> };
  methods: { get(id: string): Declared<MethodDeclaration> };
  losses: { get(id: string): Declared<LossDeclaration> };
  augmentations: { get(id: string): Declared<AugmentationDeclaration> };
  models: { get(id: string): Declared<ModelDeclaration> };
}

/** A dataset as the trial step reads it: its first batch. */
interface Batches {
  iterate(epoch: number): AsyncIterable<Tensor>;
}

/** Images of one size: what a method or a vision task trains on. */
export interface ImageObjectiveData {
  modality: 'image';
  size: [number, number];
  channels: 1 | 3;
  /** Per-channel mean and std of the training images (for `normalization: auto`). */
  statistics: { mean: number[]; std: number[] };
}

/** Frame sequences [N, frames, H, W, C]: what a frame-order task trains on. */
export interface VideoObjectiveData extends Omit<ImageObjectiveData, 'modality'> {
  modality: 'video';
  frames: number;
  dataset: Batches;
}

/** Token sequences of a tokenized corpus: what a text task trains on. */
export interface TextObjectiveData {
  modality: 'text';
  tokenizer: { vocabSize: number; vocabulary: { padId: number } };
  sequenceLength: number;
  /** The shape of one sample: [sequenceLength], or [segments, length] for segment tasks. */
  sampleShape: number[];
  /** Added to the config's task options (a token task's vocabulary, word2vec's counts). */
  taskOptions: Record<string, unknown>;
  dataset: Batches;
}

/** What an objective is built for. */
export type ObjectiveData = ImageObjectiveData | VideoObjectiveData | TextObjectiveData;

/** What a run trains: the objective, its encoder, and the config with every choice made explicit. */
export interface ConfiguredObjective<Config extends ObjectiveConfig = ObjectiveConfig> {
  objective: TrainingObjective;
  encoder: Encoder;
  /** The config as run: augmentations, normalization and size-dependent options filled in. */
  config: Config;
  /** One augmented view per call, for the preview (undefined: the run uses no augmentation). */
  previewPipeline: Augmentation | undefined;
  /** Shape of what the encoder sees: [H, W, C] for images, [sequenceLength, 1, 1] for text. */
  inputShape: [number, number, number];
  /** What the encoder sees, in words (`28×28×1 images`, `128-token sequences`). */
  inputDescription: string;
}

const configError = (message: string) => new ExperimentError('config', message);

const round = (values: number[]) => values.map((v) => Number(v.toFixed(4)));

function normalizationOf(
  config: ObjectiveConfig,
  data: Pick<ImageObjectiveData, 'statistics' | 'channels'>,
): { normalization: InputNormalization | undefined; recorded: NormalizationSetting } {
  const setting = config.model.normalization;
  let normalization: InputNormalization | undefined;
  if (setting === 'auto') normalization = { mean: round(data.statistics.mean), std: round(data.statistics.std) };
  else if (setting === 'fashion-mnist') normalization = FASHION_MNIST_NORMALIZATION;
  else if (setting === 'cifar10') normalization = CIFAR10_NORMALIZATION;
  else if (typeof setting === 'object') normalization = setting;
  if (normalization !== undefined && normalization.mean.length !== data.channels) {
    throw configError(
      `model.normalization: ${normalization.mean.length} channel value(s) for ${data.channels}-channel images`,
    );
  }
  return {
    normalization,
    recorded: normalization === undefined ? 'none' : { mean: [...normalization.mean], std: [...normalization.std] },
  };
}

/** The augmentation of the config (an op pipeline or a preset), with sizes filled in from the data. */
async function buildAugmentations(
  config: ObjectiveConfig,
  registries: ObjectiveRegistries,
  context: AugmentationContext,
): Promise<{ made: Augmentation | ViewMaker | undefined; produces: 'augmentation' | 'views' | undefined }> {
  const augmentations = config.augmentations;
  if (augmentations === undefined) return { made: undefined, produces: undefined };
  const withSize = (id: string, options: Record<string, unknown>) =>
    registries.augmentations.get(id).sized === true && options.size === undefined
      ? { ...options, size: context.size }
      : options;
  try {
    if (augmentations.pipeline !== undefined) {
      const ops: Augmentation[] = [];
      for (const [index, step] of augmentations.pipeline.entries()) {
        const { op, ...options } = step;
        const resolved = withSize(op, options);
        (augmentations.pipeline as Array<Record<string, unknown>>)[index] = { op, ...resolved };
        ops.push((await registries.augmentations.get(op).create(resolved, context)) as Augmentation);
      }
      return { made: compose(...ops), produces: 'augmentation' };
    }
    const preset = augmentations.preset as string;
    augmentations.options = withSize(preset, augmentations.options);
    const entry = registries.augmentations.get(preset);
    return { made: await entry.create(augmentations.options, context), produces: entry.produces };
  } catch (error) {
    throw configError(`augmentations: ${(error as Error).message}`);
  }
}

/** Every variable of the objective's modules, to restore after a trial step. */
function snapshot(objective: TrainingObjective): () => void {
  const variables = Object.values(objective.modules).flatMap((m) => [...m.trainableVariables, ...m.stateVariables]);
  const saved = variables.map((v) => tf.clone(v));
  return () => {
    variables.forEach((v, i) => {
      v.assign(saved[i] as Tensor);
    });
    tf.dispose(saved);
  };
}

/** A task objective that augments each batch before the task makes its inputs. */
function augmentedTask(
  objective: TrainingObjective<TaskBatch>,
  augmentation: Augmentation,
): TrainingObjective<TaskBatch> {
  return {
    ...objective,
    get viewsPerImage() {
      return objective.viewsPerImage;
    },
    prepare(batch: Tensor, rng: Rng): TaskBatch {
      const augmented = augmentation(batch as Tensor4D, rng.fork('augment'));
      try {
        return objective.prepare(augmented, rng);
      } finally {
        augmented.dispose();
      }
    },
  };
}

/** The config's augmentations, or the method's recipe when it names none (recorded in the config). */
function withDefaultAugmentations(
  config: ObjectiveConfig,
  registries: ObjectiveRegistries,
  channels: 1 | 3,
  size?: [number, number],
): void {
  const methodEntry = config.method === undefined ? undefined : registries.methods.get(config.method.id);
  if (methodEntry === undefined || config.augmentations !== undefined) return;
  const recipe = methodEntry.defaultAugmentations(channels, size);
  config.augmentations = { preset: recipe.preset, options: recipe.options ?? {} };
  const schema = registries.augmentations.get(recipe.preset).options;
  if (schema !== undefined) {
    const checked = schema['~standard'].validate(config.augmentations.options);
    if (!(checked instanceof Promise) && checked.issues === undefined) {
      config.augmentations.options = checked.value as Record<string, unknown>;
    }
  }
}

/** One augmented view per call: an augmentation as is, the first view of a view maker. */
function firstView(made: Augmentation | ViewMaker, produces: 'augmentation' | 'views'): Augmentation {
  if (produces === 'augmentation') return made as Augmentation;
  return (images, rng) => {
    const [first, ...others] = (made as ViewMaker)(images, rng);
    tf.dispose(others);
    return first as Tensor4D;
  };
}

/**
 * The augmentation a config trains with, as one view per call (for previews); undefined when it
 * uses none (a task without augmentations).
 *
 * @example
 * const augment = await previewAugmentationOf(config, registries, { size: [28, 28], channels: 1 });
 * const view = augment?.(images, createRng(0)); // [N, 28, 28, 1]
 * @throws ExperimentError('config') when an augmentation cannot be built for images of `context`.
 */
export async function previewAugmentationOf(
  config: ObjectiveConfig,
  registries: ObjectiveRegistries,
  context: AugmentationContext,
): Promise<Augmentation | undefined> {
  const resolved = structuredClone(config);
  withDefaultAugmentations(resolved, registries, context.channels, context.size);
  const { made, produces } = await buildAugmentations(resolved, registries, context);
  return made === undefined || produces === undefined ? undefined : firstView(made, produces);
}

/** The encoder of the config's model. @throws ExperimentError('config') naming the model and the inputs. */
async function encoderOf(
  config: ObjectiveConfig,
  registries: ObjectiveRegistries,
  context: ModelContext,
  inputs: string,
): Promise<Encoder> {
  const kind = config.model.kind as string;
  try {
    return await registries.models.get(kind).create(config.model.options, context);
  } catch (error) {
    throw configError(`model: cannot build '${kind}' for ${inputs}: ${(error as Error).message}`);
  }
}

/**
 * Builds what a validated config trains on images — views, encoder (input shape from the views,
 * inputs standardized per the config), method or task objective — and runs one trial step on
 * random images (weights restored afterwards), so a config that builds does not fail at its first batch.
 */
async function imageObjective<Config extends ObjectiveConfig>(
  config: Config,
  registries: ObjectiveRegistries,
  data: ImageObjectiveData,
): Promise<ConfiguredObjective<Config>> {
  const resolved: Config = structuredClone(config);
  const context: AugmentationContext = { size: data.size, channels: data.channels };
  const methodEntry = resolved.method === undefined ? undefined : registries.methods.get(resolved.method.id);
  withDefaultAugmentations(resolved, registries, data.channels, data.size);
  const { made, produces } = await buildAugmentations(resolved, registries, context);

  let views: ViewMaker | undefined;
  let previewPipeline: Augmentation | undefined;
  if (made !== undefined && produces !== undefined) {
    previewPipeline = firstView(made, produces);
    if (methodEntry !== undefined) views = produces === 'views' ? (made as ViewMaker) : twoViews(made as Augmentation);
  }

  // The encoder sees what the augmentations make (a crop may change the size).
  let inputShape: [number, number, number] = [data.size[0], data.size[1], data.channels];
  if (previewPipeline !== undefined) {
    const probe = tf.zeros([2, data.size[0], data.size[1], data.channels]) as Tensor4D;
    try {
      const out = previewPipeline(probe, createRng(0));
      inputShape = [out.shape[1], out.shape[2], out.shape[3]];
      out.dispose();
    } catch (error) {
      throw configError(
        `augmentations: cannot augment ${data.size.join('×')}×${data.channels} images: ${(error as Error).message}`,
      );
    } finally {
      probe.dispose();
    }
  }

  const { normalization, recorded } = normalizationOf(resolved, data);
  resolved.model.normalization = recorded;
  const encoder = await encoderOf(
    resolved,
    registries,
    { inputShape, normalization, seed: resolved.seed },
    `${inputShape.join('×')} inputs`,
  );

  let objective: TrainingObjective;
  let section: string;
  try {
    if (resolved.method !== undefined && methodEntry !== undefined) {
      section = `method '${resolved.method.id}'`;
      resolved.method.options =
        methodEntry.completeOptions?.(resolved.method.options, encoder) ?? resolved.method.options;
      const loss =
        methodEntry.takesLoss && resolved.loss !== undefined
          ? await registries.losses.get(resolved.loss.id).create(resolved.loss.options)
          : undefined;
      objective = await methodEntry.create(resolved.method.options, {
        encoder,
        views: views as ViewMaker,
        seed: resolved.seed + 1,
        ...(loss === undefined ? {} : { loss }),
      });
    } else {
      const taskConfig = resolved.task as EntryChoice;
      section = `task '${taskConfig.id}'`;
      const task = registries.tasks.create(taskConfig.id, taskConfig.options) as PretextTask<object, Tensor>;
      const plain = taskObjective(task, encoder, { seed: resolved.seed + 1 });
      objective = previewPipeline === undefined ? plain : augmentedTask(plain, previewPipeline);
    }
  } catch (error) {
    encoder.dispose();
    throw configError(`${resolved.method !== undefined ? 'method' : 'task'}: ${(error as Error).message}`);
  }

  // A trial step on random images: catches a task that cannot use these images, a head that does
  // not fit the encoder, a loss that cannot compare these views — before any training.
  const images = createRng(resolved.seed).uniformTensor([4, data.size[0], data.size[1], data.channels]);
  try {
    trialStep(
      objective,
      encoder,
      images,
      resolved.seed,
      `${section} cannot train on ${data.size.join('×')}×${data.channels} images with model '${resolved.model.kind}'`,
    );
  } finally {
    images.dispose();
  }
  return {
    objective,
    encoder,
    config: resolved,
    previewPipeline,
    inputShape,
    inputDescription: `${inputShape.join('×')} images`,
  };
}

/**
 * One step of the objective on `samples` with the weights restored afterwards (so a config that
 * builds does not fail at its first batch, and the run starts from the untouched initialization).
 * @throws ExperimentError('config') starting with `context`; the objective and encoder are disposed then.
 */
function trialStep(objective: TrainingObjective, encoder: Encoder, samples: Tensor, seed: number, context: string) {
  const restore = snapshot(objective);
  try {
    const prepared = objective.prepare(samples, createRng(seed).fork('trial'));
    try {
      tf.tidy(() => {
        const loss = objective.loss(prepared, { step: 0, totalSteps: 1 });
        if (!Number.isFinite(loss.dataSync()[0] as number)) throw new Error('the loss of a trial step is not finite');
      });
    } finally {
      tf.dispose(prepared as tf.TensorContainer);
    }
  } catch (error) {
    restore();
    objective.dispose();
    encoder.dispose();
    throw configError(`${context}: ${(error as Error).message}`);
  }
  restore();
}

/** The first batch of a dataset (the caller disposes it). */
async function firstBatch(dataset: Batches): Promise<Tensor> {
  for await (const batch of dataset.iterate(0)) return batch;
  throw new Error('the data gives no batch');
}

/**
 * Builds the encoder and the config's task for text or video samples, then runs a trial step on
 * the data's first batch (weights restored afterwards) — so a task that cannot use these samples
 * fails before training.
 */
async function sequenceObjective<Config extends ObjectiveConfig>(
  resolved: Config,
  registries: ObjectiveRegistries,
  context: ModelContext,
  data: { dataset: Batches; taskOptions?: Record<string, unknown> },
  inputDescription: string,
): Promise<ConfiguredObjective<Config>> {
  const encoder = await encoderOf(resolved, registries, context, inputDescription);
  const taskConfig = resolved.task as EntryChoice;
  let objective: TrainingObjective;
  try {
    const task = registries.tasks.create(taskConfig.id, { ...taskConfig.options, ...data.taskOptions });
    objective = taskObjective(task as PretextTask<object, Tensor>, encoder, { seed: resolved.seed + 1 });
  } catch (error) {
    encoder.dispose();
    throw configError(`task: ${(error as Error).message}`);
  }
  const first = await firstBatch(data.dataset);
  try {
    trialStep(
      objective,
      encoder,
      first,
      resolved.seed,
      `task '${taskConfig.id}' cannot train on ${inputDescription} with model '${resolved.model.kind}'`,
    );
  } finally {
    first.dispose();
  }
  return {
    objective,
    encoder,
    config: resolved,
    previewPipeline: undefined,
    inputShape: context.inputShape,
    inputDescription,
  };
}

/**
 * Builds what a validated config trains on `data`, and runs one trial step (weights restored
 * afterwards), so a config that builds does not fail at its first batch:
 * - images: the views (the config's augmentations, or the method's recipe), the encoder for the
 *   views' shape (inputs standardized per `model.normalization`), the method or task objective;
 * - video: the per-frame image encoder for the frames' size and the frame-order task;
 * - text: the encoder sized by the tokenizer (vocabulary, padding id) and `sequenceLength`, the
 *   task with the data's `taskOptions` (its vocabulary).
 * The returned `config` records every choice made (augmentations, normalization, sizes).
 *
 * @example
 * const { objective, encoder } = await objectiveFromConfig(config, registries, {
 *   modality: 'image', size: [28, 28], channels: 1, statistics: { mean: [0.29], std: [0.35] },
 * });
 * await pretrain(objective, dataset, { epochs: 1, optimizer: { kind: 'adam', learningRate: 1e-3 } });
 * @throws ExperimentError('config') naming the section (`model`, `method`, `task`, `augmentations`)
 *   whose entry cannot be built or cannot train on the data.
 */
export async function objectiveFromConfig<Config extends ObjectiveConfig>(
  config: Config,
  registries: ObjectiveRegistries,
  data: ObjectiveData,
): Promise<ConfiguredObjective<Config>> {
  if (data.modality === 'image') return imageObjective(config, registries, data);
  const resolved: Config = structuredClone(config);
  if (data.modality === 'video') {
    const inputShape: [number, number, number] = [data.size[0], data.size[1], data.channels];
    const { normalization, recorded } = normalizationOf(resolved, data);
    resolved.model.normalization = recorded;
    return sequenceObjective(
      resolved,
      registries,
      { inputShape, normalization, seed: resolved.seed },
      data,
      `sequences of ${data.frames} frames of ${inputShape.join('×')}`,
    );
  }
  resolved.model.normalization = 'none';
  const [segments, length] = data.sampleShape;
  const { tokenizer, sequenceLength } = data;
  return sequenceObjective(
    resolved,
    registries,
    {
      inputShape: [sequenceLength, 1, 1],
      normalization: undefined,
      seed: resolved.seed,
      tokens: { vocabSize: tokenizer.vocabSize, padTokenId: tokenizer.vocabulary.padId, sequenceLength },
    },
    data,
    length === undefined ? `${sequenceLength}-token sequences` : `samples of ${segments} segments × ${length} tokens`,
  );
}
