import { type Augmentation, compose, twoViews, type ViewMaker } from '@selfsup/augment';
import { createRng, type Rng, type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import {
  CIFAR10_NORMALIZATION,
  type Encoder,
  FASHION_MNIST_NORMALIZATION,
  type InputNormalization,
} from '@selfsup/models';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import { type TrainingObjective, taskObjective } from '@selfsup/trainer';
import { CliError } from '../cli-error.js';
import type { RunConfig } from '../config/config-schema.js';
import type { AugmentationContext, ModelContext } from '../registries/entries.js';
import type { Registries } from '../registries/registries.js';
import type { TextTrainingData } from './text-corpus-data.js';
import type { TrainingData } from './training-data.js';
import type { VideoTrainingData } from './video-folder-data.js';

/** What a run trains: the objective, its encoder, and the config with every choice made explicit. */
export interface BuiltRun {
  objective: TrainingObjective;
  encoder: Encoder;
  /** The config as run: augmentations, normalization and size-dependent options filled in. */
  config: RunConfig;
  /** One augmented view per call, for the preview (undefined: the run uses no augmentation). */
  previewPipeline: Augmentation | undefined;
  /** Shape of what the encoder sees: [H, W, C] for images, [sequenceLength, 1, 1] for text. */
  inputShape: [number, number, number];
  /** What the encoder sees, in words (`28×28×1 images`, `128-token sequences`). */
  inputDescription: string;
}

const round = (values: number[]) => values.map((v) => Number(v.toFixed(4)));

function normalizationOf(
  config: RunConfig,
  data: Pick<TrainingData, 'statistics' | 'channels'>,
): { normalization: InputNormalization | undefined; recorded: RunConfig['model']['normalization'] } {
  const setting = config.model.normalization;
  let normalization: InputNormalization | undefined;
  if (setting === 'auto') normalization = { mean: round(data.statistics.mean), std: round(data.statistics.std) };
  else if (setting === 'fashion-mnist') normalization = FASHION_MNIST_NORMALIZATION;
  else if (setting === 'cifar10') normalization = CIFAR10_NORMALIZATION;
  else if (typeof setting === 'object') normalization = setting;
  if (normalization !== undefined && normalization.mean.length !== data.channels) {
    throw new CliError(
      'config',
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
  config: RunConfig,
  registries: Registries,
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
    throw new CliError('config', `augmentations: ${(error as Error).message}`);
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
function withDefaultAugmentations(config: RunConfig, registries: Registries, channels: 1 | 3): void {
  const methodEntry = config.method === undefined ? undefined : registries.methods.get(config.method.id);
  if (methodEntry === undefined || config.augmentations !== undefined) return;
  const recipe = methodEntry.defaultAugmentations(channels);
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
 * @throws CliError('config') when an augmentation cannot be built for images of `context`.
 */
export async function previewPipelineOf(
  config: RunConfig,
  registries: Registries,
  context: AugmentationContext,
): Promise<Augmentation | undefined> {
  const resolved = structuredClone(config);
  withDefaultAugmentations(resolved, registries, context.channels);
  const { made, produces } = await buildAugmentations(resolved, registries, context);
  return made === undefined || produces === undefined ? undefined : firstView(made, produces);
}

/**
 * Builds what a validated config trains — views, encoder (input shape from the views, inputs
 * standardized per the config), method or task objective — and runs one trial step on random
 * images (weights restored afterwards), so a config that builds does not fail at its first batch.
 *
 * @throws CliError('config') naming the section whose entry cannot be built or cannot train on the data.
 */
export async function buildRun(config: RunConfig, registries: Registries, data: TrainingData): Promise<BuiltRun> {
  const resolved: RunConfig = structuredClone(config);
  const context: AugmentationContext = { size: data.size, channels: data.channels };
  const methodEntry = resolved.method === undefined ? undefined : registries.methods.get(resolved.method.id);
  withDefaultAugmentations(resolved, registries, data.channels);
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
      throw new CliError(
        'config',
        `augmentations: cannot augment ${data.size.join('×')}×${data.channels} images: ${(error as Error).message}`,
      );
    } finally {
      probe.dispose();
    }
  }

  const { normalization, recorded } = normalizationOf(resolved, data);
  resolved.model.normalization = recorded;
  let encoder: Encoder;
  try {
    encoder = await registries.models.get(resolved.model.kind as string).create(resolved.model.options, {
      inputShape,
      normalization,
      seed: resolved.seed,
    });
  } catch (error) {
    throw new CliError(
      'config',
      `model: cannot build '${resolved.model.kind}' for ${inputShape.join('×')} inputs: ${(error as Error).message}`,
    );
  }

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
      const taskConfig = resolved.task as NonNullable<RunConfig['task']>;
      section = `task '${taskConfig.id}'`;
      const task = registries.tasks.create(taskConfig.id, taskConfig.options) as PretextTask<object, Tensor>;
      const plain = taskObjective(task, encoder, { seed: resolved.seed + 1 });
      objective = previewPipeline === undefined ? plain : augmentedTask(plain, previewPipeline);
    }
  } catch (error) {
    encoder.dispose();
    throw new CliError('config', `${resolved.method !== undefined ? 'method' : 'task'}: ${(error as Error).message}`);
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
 * @throws CliError('config') starting with `context`; the objective and encoder are disposed then.
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
    throw new CliError('config', `${context}: ${(error as Error).message}`);
  }
  restore();
}

/** The first batch of a dataset (the caller disposes it). */
async function firstBatch(dataset: { iterate(epoch: number): AsyncIterable<Tensor> }): Promise<Tensor> {
  for await (const batch of dataset.iterate(0)) return batch;
  throw new Error('the data gives no batch');
}

/** What a task run (text or video) is made of, once its encoder options are known. */
interface TaskRunParts {
  resolved: RunConfig;
  registries: Registries;
  context: ModelContext;
  /** Added to the config's task options (a token task's vocabulary, word2vec's counts). */
  taskOptions?: Record<string, unknown>;
  dataset: { iterate(epoch: number): AsyncIterable<Tensor> };
  /** What the encoder sees, in words (`128-token sequences`). */
  inputDescription: string;
}

/**
 * Builds the encoder and the config's task, then runs a trial step on the data's first batch
 * (weights restored afterwards) — so a task that cannot use these samples fails before training.
 * @throws CliError('config') naming the model or task that cannot be built or cannot train.
 */
async function buildTaskRun(parts: TaskRunParts): Promise<BuiltRun> {
  const { resolved, registries, context, inputDescription } = parts;
  const kind = resolved.model.kind as string;
  let encoder: Encoder;
  try {
    encoder = await registries.models.get(kind).create(resolved.model.options, context);
  } catch (error) {
    throw new CliError('config', `model: cannot build '${kind}' for ${inputDescription}: ${(error as Error).message}`);
  }
  const taskConfig = resolved.task as NonNullable<RunConfig['task']>;
  let objective: TrainingObjective;
  try {
    const task = registries.tasks.create(taskConfig.id, { ...taskConfig.options, ...parts.taskOptions });
    objective = taskObjective(task as PretextTask<object, Tensor>, encoder, { seed: resolved.seed + 1 });
  } catch (error) {
    encoder.dispose();
    throw new CliError('config', `task: ${(error as Error).message}`);
  }
  const first = await firstBatch(parts.dataset);
  try {
    trialStep(
      objective,
      encoder,
      first,
      resolved.seed,
      `task '${taskConfig.id}' cannot train on ${inputDescription} with model '${kind}'`,
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
 * Builds what a validated video config trains: the per-frame image encoder for the frames' size
 * (inputs standardized per the config), the frame-order task, and a trial step on the first batch
 * of sequences (weights restored afterwards).
 *
 * @throws CliError('config') when the model or task cannot be built or cannot train on these sequences.
 */
export async function buildVideoRun(
  config: RunConfig,
  registries: Registries,
  data: VideoTrainingData,
): Promise<BuiltRun> {
  const resolved: RunConfig = structuredClone(config);
  const inputShape: [number, number, number] = [data.size[0], data.size[1], data.channels];
  const { normalization, recorded } = normalizationOf(resolved, data);
  resolved.model.normalization = recorded;
  return buildTaskRun({
    resolved,
    registries,
    context: { inputShape, normalization, seed: resolved.seed },
    dataset: data.dataset,
    inputDescription: `sequences of ${data.frames} frames of ${inputShape.join('×')}`,
  });
}

/**
 * Builds what a validated text config trains: the encoder sized by the corpus's tokenizer
 * (vocabulary, padding id) and `data.sequenceLength`, the task with the tokenizer's vocabulary,
 * and a trial step on the corpus's first batch (weights restored afterwards).
 *
 * @throws CliError('config') when the model or task cannot be built or cannot train on these sequences.
 */
export async function buildTextRun(
  config: RunConfig,
  registries: Registries,
  data: TextTrainingData,
): Promise<BuiltRun> {
  const resolved: RunConfig = structuredClone(config);
  const { vocabulary } = data.tokenizer;
  resolved.model.normalization = 'none';
  const [segments, length] = data.sampleShape;
  return buildTaskRun({
    resolved,
    registries,
    context: {
      inputShape: [data.sequenceLength, 1, 1],
      normalization: undefined,
      seed: resolved.seed,
      tokens: {
        vocabSize: data.tokenizer.vocabSize,
        padTokenId: vocabulary.padId,
        sequenceLength: data.sequenceLength,
      },
    },
    taskOptions: data.taskOptions,
    dataset: data.dataset,
    inputDescription:
      length === undefined
        ? `${data.sequenceLength}-token sequences`
        : `samples of ${segments} segments × ${length} tokens`,
  });
}
