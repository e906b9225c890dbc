import { augmentationPreview } from '@selfsup/augment';
import type { Tensor4D } from '@selfsup/backend';
import type { AppSpec } from '@selfsup/cli';
import { FASHION_MNIST_CLASSES, imageBatch, labeledImageBatches, loadIdxImages } from '@selfsup/data';
import { createSmallCnn, FASHION_MNIST_NORMALIZATION, type WeightInit } from '@selfsup/models';
import { createMethod, defaultTwoViews, encoderEvaluation, type SslMethodId } from '@selfsup/trainer';

/** The app's own flags; `--out`, `--resume`, `--backend`, `--max-steps`, `--quiet` are every app's. */
const FLAGS = {
  data: { type: 'string', placeholder: 'dir', description: 'IDX dataset directory (default: the embedded subset)' },
  method: {
    type: 'string',
    default: 'simclr',
    choices: ['simclr', 'moco-v2', 'byol', 'simsiam', 'barlow-twins', 'vicreg'],
    description: 'SSL method',
  },
  epochs: { type: 'integer', min: 1, description: 'pretraining epochs (default 10 embedded, 5 full)' },
  'batch-size': { type: 'integer', min: 1, default: 256, description: 'images per step, two views each' },
  lr: { type: 'number', min: 0, default: 2e-3, description: 'peak learning rate' },
  optimizer: { type: 'string', default: 'adam', choices: ['adam', 'adamw', 'sgd', 'lars'], description: 'optimizer' },
  'warmup-epochs': { type: 'number', min: 0, default: 1, description: 'linear warmup before the schedule' },
  schedule: {
    type: 'string',
    default: 'warmup-cosine',
    choices: ['warmup-cosine', 'constant'],
    description: 'after warmup: cosine decay to 1 % of the peak, or the peak throughout',
  },
  width: { type: 'number', min: 0, description: 'encoder width multiplier (default 0.5 embedded, 1 full)' },
  'weight-init': {
    type: 'string',
    default: 'fan-in-uniform',
    choices: ['he-normal', 'fan-in-uniform'],
    description: "how weights start (fan-in-uniform: PyTorch's default)",
  },
  seed: { type: 'integer', min: 0, default: 0, description: 'seed of every random choice' },
  'probe-epochs': { type: 'integer', min: 1, description: 'linear-probe epochs (default: 7020 Adam steps)' },
} as const;

/**
 * The main job: a self-supervised method pretrains the reference CNN on Fashion-MNIST (the embedded
 * subset: 10 epochs at half width, about 4 minutes on 2 cores; an IDX folder: 5 epochs at full
 * width), then a linear probe and kNN evaluate it beside the random-init and raw-pixel floors.
 */
export const SIMCLR_APP: AppSpec<typeof FLAGS> = {
  name: 'selfsup-simclr',
  summary:
    'Pretrains an encoder self-supervised on Fashion-MNIST (the embedded subset by default), then\nevaluates it with a linear probe and kNN beside the random-init and raw-pixel floors.',
  flags: FLAGS,
  defaultOut: (v) => `runs/${v.method}`,
  experiment(v) {
    const embedded = v.data === undefined;
    const source = v.data ?? 'embedded Fashion-MNIST subset';
    const epochs = v.epochs ?? (embedded ? 10 : 5);
    const width = v.width ?? (embedded ? 0.5 : 1);
    const optimizers = { adam: {}, adamw: {}, lars: { weightDecay: 1e-6 }, sgd: { momentum: 0.9, weightDecay: 5e-4 } };
    // The run's settings are the app's own flags (not where it runs, how far, or how loudly).
    const settings = Object.fromEntries(Object.keys(FLAGS).map((name) => [name, v[name as keyof typeof FLAGS]]));
    return {
      title: `selfsup ${v.method} on ${source}`,
      objective: { kind: 'method', id: v.method },
      config: { ...settings, data: source, epochs, width },
      training: {
        epochs,
        optimizer: { kind: v.optimizer, ...optimizers[v.optimizer] },
        schedule: ({ stepsPerEpoch, totalSteps }) => ({
          kind: 'warmup-cosine',
          learningRate: v.lr,
          warmupSteps: Math.min(totalSteps, Math.round(v['warmup-epochs'] * stepsPerEpoch)),
          totalSteps,
          finalLearningRate: v.lr * (v.schedule === 'constant' ? 1 : 0.01),
        }),
        seed: v.seed,
        checkpoint: { everySteps: 100, keep: 2 },
      },
      async prepare({ log }) {
        const dir = v.data === undefined ? {} : { dir: v.data };
        const [train, test] = await Promise.all([
          loadIdxImages({ split: 'train', ...dir }),
          loadIdxImages({ split: 'test', ...dir }),
        ]);
        if (train.count < v['batch-size']) {
          throw new Error(
            `--batch-size ${v['batch-size']} is larger than the ${train.count} training images of ${source}`,
          );
        }
        const weightInit = v['weight-init'] as WeightInit;
        const encoder = createSmallCnn({
          inputShape: [train.height, train.width, 1],
          widths: [32, 64, 128, 128].map((w) => Math.max(1, Math.round(w * width))),
          normalization: FASHION_MNIST_NORMALIZATION,
          weightInit,
          seed: v.seed,
        });
        const objective = createMethod(v.method as SslMethodId, {
          encoder,
          seed: v.seed + 1,
          headWeightInit: weightInit,
        });
        const probeEpochs = v['probe-epochs'];
        return {
          objective,
          encoder,
          data: labeledImageBatches(train, { batchSize: v['batch-size'], seed: v.seed }),
          examples: 'images',
          exampleCount: train.count,
          dataDescription: `${source}: ${train.count} training and ${test.count} test images of ${train.height}×${train.width}`,
          evaluation: encoderEvaluation(encoder, {
            train,
            test,
            classes: FASHION_MNIST_CLASSES.length,
            seed: v.seed,
            log,
            ...(probeEpochs === undefined ? {} : { probeEpochs }),
          }),
          async preview(path) {
            const { images, labels } = imageBatch(test, [0, 1, 2, 3, 4, 5]);
            const views = defaultTwoViews(encoder);
            try {
              await augmentationPreview(
                images,
                (batch, rng) => {
                  const [first, second] = views(batch as Tensor4D, rng);
                  second?.dispose();
                  return first as Tensor4D;
                },
                { views: 6, seed: v.seed, out: path, scale: 3 },
              );
            } finally {
              images.dispose();
              labels.dispose();
            }
          },
          dispose() {
            objective.dispose();
            encoder.dispose();
          },
        };
      },
    };
  },
};
