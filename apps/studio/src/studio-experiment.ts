import type { BackendRequest } from '@selfsup/backend';
import { labeledImageBatches, pixelStatistics } from '@selfsup/data';
import { createSmallCnn } from '@selfsup/models';
import { type Experiment, encoderEvaluation } from '@selfsup/trainer';
import { type MethodDeclaration, methodDeclarations } from '@selfsup/trainer/declarations';
import { makeAugmentation, resolvedOptions } from './augmentation-choice.js';
import type { StudioData } from './studio-data.js';

/** What the form says: the run's settings (saved in its config; a resume must agree, but for `maxSteps`). */
export interface StudioSettings {
  method: string;
  /** The augmentation id (section 2) the views are made with. */
  augmentation: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Stop after this many steps in all (the schedule still spans `epochs`). */
  maxSteps: number | undefined;
  /** Evaluate after pretraining when the data has labels (the floors before it). */
  evaluate: boolean;
  /** Linear-probe epochs of the evaluation (undefined: the library's default, 7020 Adam steps). */
  probeEpochs: number | undefined;
}

/** The methods a page can train on images with their declared defaults (`two-view` needs a loss chosen). */
export function studioMethods(): string[] {
  return Object.entries(methodDeclarations as Record<string, MethodDeclaration>)
    .filter(([, declaration]) => declaration.takesLoss !== true)
    .map(([id]) => id);
}

/** The augmentation a method trains with when none is picked. */
export function defaultAugmentation(method: string, channels: 1 | 3): string {
  return (
    (methodDeclarations as Record<string, MethodDeclaration>)[method]?.defaultAugmentations(channels).preset ?? 'simclr'
  );
}

/**
 * The options a method gives its default augmentation for images of `size` (a multi-crop method's
 * crop sizes, counts and scales), when `augmentation` is that default; else none.
 */
export function methodAugmentationOptions(
  method: string,
  augmentation: string,
  channels: 1 | 3,
  size: [number, number],
): Record<string, unknown> {
  const recipe = (methodDeclarations as Record<string, MethodDeclaration>)[method]?.defaultAugmentations(
    channels,
    size,
  );
  return recipe?.preset === augmentation ? (recipe.options ?? {}) : {};
}

/**
 * The run the form describes, for the trainer's `runExperiment` — the life of a run the CLI and
 * the apps share: the reference small CNN at half width (16-32-64-64) on the data's images,
 * standardized by the data's own pixel statistics; the method with its declared defaults on the
 * picked augmentation's views; Adam with warmup and cosine decay; and, when the data has labels,
 * the linear probe and kNN beside the random-init and raw-pixel floors.
 */
export function studioExperiment(
  dir: string,
  settings: StudioSettings,
  data: StudioData,
  backend: BackendRequest,
): Experiment {
  const { train, test, classes } = data;
  const channels = (train.channels ?? 1) as 1 | 3;
  const declaration = (methodDeclarations as Record<string, MethodDeclaration>)[settings.method];
  if (declaration === undefined)
    throw new Error(`'${settings.method}' is not a method; known: ${studioMethods().join(', ')}`);
  const { maxSteps, ...recorded } = settings;
  return {
    dir,
    title: `selfsup ${settings.method} on ${data.description}`,
    objective: { kind: 'method', id: settings.method },
    backend: { backend },
    config: { ...recorded, data: data.fingerprint },
    training: {
      epochs: settings.epochs,
      optimizer: { kind: 'adam' },
      schedule: ({ stepsPerEpoch, totalSteps }) => ({
        kind: 'warmup-cosine',
        learningRate: settings.learningRate,
        warmupSteps: Math.min(totalSteps, stepsPerEpoch),
        totalSteps,
        finalLearningRate: settings.learningRate * 0.01,
      }),
      seed: settings.seed,
      checkpoint: { everySteps: 10, keep: 2 },
      ...(maxSteps === undefined ? {} : { maxSteps }),
    },
    async prepare({ log }) {
      if (train.count < settings.batchSize) {
        throw new Error(`batch size ${settings.batchSize} is larger than the ${train.count} training images`);
      }
      const encoder = createSmallCnn({
        inputShape: [train.height, train.width, channels],
        widths: [16, 32, 64, 64],
        normalization: pixelStatistics(train.images, channels),
        weightInit: 'fan-in-uniform',
        seed: settings.seed,
      });
      const size: [number, number] = [train.height, train.width];
      const { views } = await makeAugmentation(
        settings.augmentation,
        size,
        channels,
        methodAugmentationOptions(settings.method, settings.augmentation, channels, size),
      );
      const objective = await declaration.create(resolvedOptions(declaration, {}), {
        encoder,
        views,
        seed: settings.seed + 1,
      });
      const labeled = settings.evaluate && classes !== undefined && test !== undefined;
      return {
        objective,
        encoder,
        data: labeledImageBatches(train, { batchSize: settings.batchSize, seed: settings.seed }),
        examples: 'images',
        exampleCount: train.count,
        dataDescription: data.description,
        dataFingerprint: data.fingerprint,
        ...(labeled
          ? {
              evaluation: encoderEvaluation(encoder, {
                train,
                test,
                classes: classes.length,
                seed: settings.seed,
                log,
                ...(settings.probeEpochs === undefined ? {} : { probeEpochs: settings.probeEpochs }),
              }),
            }
          : {}),
        dispose() {
          objective.dispose();
          encoder.dispose();
        },
      };
    },
  };
}
