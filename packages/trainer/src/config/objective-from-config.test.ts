import { augmentationDeclarations } from '@selfsup/augment/declarations';
import { createRng, initBackend, measureTensorLeak, type Tensor4D, tf } from '@selfsup/backend';
import { lossDeclarations } from '@selfsup/losses/declarations';
import { modelDeclarations } from '@selfsup/models/declarations';
import { createTaskRegistry, type TaskMap } from '@selfsup/pretext';
import { defaultOptions } from '@selfsup/pretext/option-schemas';
import { visionTasks } from '@selfsup/vision';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { methodDeclarations } from '../declarations.js';
import { ExperimentError } from '../run/experiment-error.js';
import {
  type ImageObjectiveData,
  type ObjectiveConfig,
  type ObjectiveRegistries,
  objectiveFromConfig,
  previewAugmentationOf,
} from './objective-from-config.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

const byId = <Entry>(declarations: Record<string, Entry>) => ({
  get(id: string): Entry {
    const entry = declarations[id];
    if (entry === undefined) throw new Error(`'${id}' is not declared`);
    return entry;
  },
});

/** The built-in declarations, with the vision tasks. */
const registries: ObjectiveRegistries = {
  tasks: createTaskRegistry(visionTasks as unknown as TaskMap),
  methods: byId(methodDeclarations),
  losses: byId(lossDeclarations),
  augmentations: byId(augmentationDeclarations),
  models: byId(modelDeclarations),
};

const images: ImageObjectiveData = {
  modality: 'image',
  size: [8, 8],
  channels: 1,
  statistics: { mean: [0.5], std: [0.25] },
};
const smallCnn = { widths: [4, 8], strides: [1, 2], weightInit: 'he-normal' };

/** A validated config: SimCLR (its defaults) on a two-block small CNN. */
function simclrConfig(changes: Partial<ObjectiveConfig> = {}): ObjectiveConfig {
  const method = { id: 'simclr', options: defaultOptions(methodDeclarations.simclr.options ?? z.object({})) };
  return { seed: 3, model: { kind: 'small-cnn', options: smallCnn, normalization: 'auto' }, method, ...changes };
}

/** The error `promise` rejects with, checked to be a config error. */
async function configError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ExperimentError);
  expect((error as ExperimentError).reason).toBe('config');
  return (error as Error).message;
}

describe('objectiveFromConfig', () => {
  it('builds a method on images: the recipe’s augmentations and the measured normalization recorded, weights untouched by the trial step', async () => {
    const config = simclrConfig();
    const built = await objectiveFromConfig(config, registries, images);
    try {
      expect(built.config.augmentations?.preset).toBe('fashion-mnist-simclr');
      expect(built.config.model.normalization).toEqual({ mean: [0.5], std: [0.25] });
      expect(config.augmentations).toBeUndefined(); // the caller's config is left as it was
      expect(built.inputShape).toEqual([8, 8, 1]);
      expect(built.inputDescription).toBe('8×8×1 images');
      const fresh = await modelDeclarations['small-cnn'].create(smallCnn, {
        inputShape: [8, 8, 1],
        normalization: { mean: [0.5], std: [0.25] },
        seed: 3,
      });
      const weights = (encoder: typeof fresh) => encoder.trainableVariables.map((v) => Array.from(v.dataSync()));
      expect(weights(built.encoder)).toEqual(weights(fresh));
      fresh.dispose();
      const batch = createRng(1).uniformTensor([4, 8, 8, 1]);
      const prepared = built.objective.prepare(batch, createRng(2));
      const loss = tf.tidy(() => built.objective.loss(prepared, { step: 0, totalSteps: 1 }).dataSync()[0] as number);
      tf.dispose([batch, prepared as tf.TensorContainer]);
      expect(Number.isFinite(loss)).toBe(true);
    } finally {
      built.objective.dispose();
      built.encoder.dispose();
    }
  });

  it('builds a task that augments each batch first, and leaks no tensor', async () => {
    const config: ObjectiveConfig = {
      seed: 1,
      model: { kind: 'small-cnn', options: smallCnn, normalization: 'none' },
      task: { id: 'rotation', options: {} },
      augmentations: { options: {}, pipeline: [{ op: 'horizontal-flip', p: 0.5 }] },
    };
    const { leakedTensors } = await measureTensorLeak(async () => {
      const built = await objectiveFromConfig(config, registries, images);
      expect(built.config.model.normalization).toBe('none');
      expect(built.previewPipeline).toBeTypeOf('function');
      built.objective.dispose();
      built.encoder.dispose();
    });
    expect(leakedTensors).toBe(0);
  });

  it('names the section that cannot be built or cannot train', async () => {
    const twoChannels = simclrConfig({
      model: { kind: 'small-cnn', options: smallCnn, normalization: { mean: [0.5, 0.5], std: [1, 1] } },
    });
    expect(await configError(objectiveFromConfig(twoChannels, registries, images))).toBe(
      'model.normalization: 2 channel value(s) for 1-channel images',
    );

    const broken: ObjectiveRegistries = {
      ...registries,
      models: byId({ broken: { description: 'fails', create: () => Promise.reject(new Error('nope')) } }),
    };
    const brokenModel = simclrConfig({ model: { kind: 'broken', options: {}, normalization: 'none' } });
    expect(await configError(objectiveFromConfig(brokenModel, broken, images))).toBe(
      "model: cannot build 'broken' for 8×8×1 inputs: nope",
    );

    const notFinite: ObjectiveRegistries = {
      ...registries,
      losses: byId({ 'not-finite': { description: 'NaN', create: () => () => tf.scalar(Number.NaN) } }),
    };
    const twoView = simclrConfig({
      method: { id: 'two-view', options: defaultOptions(methodDeclarations['two-view'].options ?? z.object({})) },
      loss: { id: 'not-finite', options: {} },
    });
    expect(await configError(objectiveFromConfig(twoView, notFinite, images))).toBe(
      "method 'two-view' cannot train on 8×8×1 images with model 'small-cnn': the loss of a trial step is not finite",
    );
  });
});

describe('previewAugmentationOf', () => {
  it('is one view of the config’s augmentation (the method’s recipe when it names none), undefined without one', async () => {
    const augment = await previewAugmentationOf(simclrConfig(), registries, { size: [8, 8], channels: 1 });
    const batch = createRng(0).uniformTensor([2, 8, 8, 1]) as Tensor4D;
    const view = augment?.(batch, createRng(1));
    expect(view?.shape).toEqual([2, 8, 8, 1]);
    tf.dispose([batch, view as tf.Tensor]);
    const task: ObjectiveConfig = { ...simclrConfig(), method: undefined, task: { id: 'rotation', options: {} } };
    expect(await previewAugmentationOf(task, registries, { size: [8, 8], channels: 1 })).toBeUndefined();
  });
});
