import { join } from 'node:path';
import { toGrayscale, writePng } from '@selfsup/augment';
import { type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import { type AppSpec, type AppValues, CliError } from '@selfsup/cli';
import {
  FASHION_MNIST_CLASSES,
  greyToRgb,
  labeledImageBatches,
  loadIdxImages,
  loadPhotoSplit,
  mapped,
  type PhotoSplit,
  photoFiles,
  photoPatchDataset,
  photoPatchSample,
} from '@selfsup/data';
import { createSmallCnn, createVitTiny, FASHION_MNIST_NORMALIZATION } from '@selfsup/models';
import { createTaskRegistry, type EncoderInput, type PretextTask } from '@selfsup/pretext';
import {
  encoderEvaluation,
  evaluateTaskMetrics,
  fineTuneBesideRandomInit,
  flattenMeasures,
  taskEncoders,
  taskObjective,
} from '@selfsup/trainer';
import {
  abGamutBins,
  CHROMATIC_ABERRATION_DEFENCES,
  type ColorizationBatch,
  type ColorizationTask,
  colorizationGreyFloor,
  colorizationPreviewOf,
  estimateAbPrior,
  JIGSAW_COLOUR_DEFENCES,
  type JigsawColourDefence,
  tileGeometry,
  visionTasks,
} from '@selfsup/vision';

/**
 * The tasks that pretrain on photographs (colorization only there) and their colour defences, the default first
 * (`none`: the ablation). Relative location's is the paper's projection: with 64-px patches it learns (17.0 %
 * held-out, chance 12.5 %) where channel dropping does not (11.0 %) in 30 epochs (docs/vision-tasks.md).
 */
const PHOTO_TASKS: Record<string, readonly string[]> = {
  colorization: [],
  jigsaw: Object.keys(JIGSAW_COLOUR_DEFENCES),
  'relative-location': ['projection', ...CHROMATIC_ABERRATION_DEFENCES.filter((d) => d !== 'projection')],
};
const DEFENCES = [...new Set(Object.values(PHOTO_TASKS).flat())];
const TASKS = createTaskRegistry(visionTasks);
const MODES = ['classification', 'regression'] as const;
const PRETRAIN_DATA = ['fashion-mnist', 'photos'] as const;

/** Pretraining epochs, a few minutes on the embedded subset on 2 cores (MAE: at 3 it probes below its random-init ViT). */
const EPOCHS: Record<string, number> = { jigsaw: 15, 'relative-location': 30, colorization: 6, mae: 10 };

/** The app's own flags; `--out`, `--resume`, `--backend`, `--wasm-threads`, `--max-steps`, `--quiet` are every app's. */
const FLAGS = {
  task: { type: 'string', default: 'rotation', choices: Object.keys(visionTasks), description: 'the pretext task' },
  data: { type: 'string', placeholder: 'dir', description: 'IDX dataset directory (default: the embedded subset)' },
  'pretrain-data': { type: 'string', choices: PRETRAIN_DATA, description: 'default photos for colorization' },
  photos: { type: 'string', placeholder: 'paths', description: "photo files and folders, commas between (Debian's)" },
  'photo-patch-size': { type: 'integer', min: 28, description: 'photos: side of the patches cut into tiles (28)' },
  'chromatic-defence': { type: 'string', choices: DEFENCES, description: "photos: colour defence (the task's first)" },
  epochs: { type: 'integer', min: 1, description: 'pretraining epochs (default: per task, 3 to 30)' },
  'batch-size': { type: 'integer', min: 1, default: 128, description: 'source images per step' },
  lr: { type: 'number', min: 0, description: 'peak learning rate (default 2e-3; mae 1.5e-3)' },
  'warmup-epochs': { type: 'number', min: 0, default: 1, description: 'linear warmup, then cosine decay to 1 %' },
  permutations: { type: 'integer', min: 1, default: 100, description: 'jigsaw: permutations, the classes' },
  'mask-ratio': { type: 'number', min: 0, default: 0.75, description: 'mae: fraction of patches masked, below 1' },
  'colorization-mode': { type: 'string', default: 'classification', choices: MODES, description: 'ab bins or L2 ab' },
  seed: { type: 'integer', min: 0, default: 0, description: 'seed of every random choice' },
  'probe-epochs': { type: 'integer', min: 1, description: 'linear-probe epochs (default: 7020 Adam steps)' },
  'fine-tune-epochs': { type: 'integer', min: 0, default: 0, description: 'fine-tune end to end, beside random init' },
  'fine-tune-labels': { type: 'integer', min: 1, description: 'fine-tuning: labeled images (default: all)' },
  'fine-tune-lr': { type: 'number', min: 0, description: "fine-tuning: encoder's Adam rate, head 10× (1e-4)" },
} as const;
type Values = AppValues<typeof FLAGS>;

/** The options the app gives a task beyond its defaults, on images (photo patches) of `size` px. */
const TASK_OPTIONS: Record<string, (v: Values, size: number, defence?: string, photos?: PhotoSplit) => object> = {
  jigsaw: (v, size, defence) => ({
    ...tileGeometry(size).jigsaw,
    permutations: v.permutations,
    permutationSeed: v.seed,
    ...(defence && JIGSAW_COLOUR_DEFENCES[defence as JigsawColourDefence]),
  }),
  'relative-location': (_, size, defence) => ({ ...tileGeometry(size).relativeLocation, chromaticDefence: defence }),
  // MAE's decoder: dim 96, 2 blocks, 3 heads, so a run takes minutes on 2 cores.
  mae: (v) => ({ maskRatio: v['mask-ratio'], decoderDim: 96, decoderDepth: 2, decoderHeads: 3 }),
  // The ab prior of the class rebalancing, from 2 048 training patches.
  colorization: (v, size, _, photos) => ({
    mode: v['colorization-mode'],
    abPrior:
      photos &&
      tf.tidy(() => Array.from(estimateAbPrior(photoPatchSample(photos.train, 2048, size, v.seed + 7), abGamutBins()))),
  }),
};

type Scorer = Parameters<typeof evaluateTaskMetrics>[1];
const grayscale = (images: Tensor4D) => toGrayscale(images, { channels: 3 });
const greyFloor = (task: ColorizationTask): Scorer => ({
  metrics: (batch) => colorizationGreyFloor(task, batch as ColorizationBatch),
});

/** The reference CNN, or for patch tokens `createVitTiny` at dim 128, 4 heads, 4 blocks; raw pixels standardized. */
function createEncoder({ shape, pixels, patchSize }: EncoderInput, seed: number) {
  const inputShape = shape as [number, number, number];
  const fill = (values: number[]) => Array<number>(inputShape[2]).fill(values[0] as number);
  const { mean, std } = FASHION_MNIST_NORMALIZATION;
  const options = { inputShape, seed, ...(pixels ? { normalization: { mean: fill(mean), std: fill(std) } } : {}) };
  return patchSize ? createVitTiny({ ...options, patchSize, dim: 128, depth: 4, heads: 4 }) : createSmallCnn(options);
}

/**
 * Every `@selfsup/vision` task, end to end: pretrain on Fashion-MNIST or on patches of photographs,
 * measure the task on held-out data (beside chance, the grey floor, and for photo jigsaw and relative
 * location the undefended task in colour and grayscale), then evaluate the encoder on Fashion-MNIST
 * beside the random-init and raw-pixel floors (RGB encoders: grey replicated), optionally fine-tuned.
 */
export const VISION_PRETEXT_APP: AppSpec<typeof FLAGS> = {
  name: 'selfsup-vision-pretext',
  summary:
    'Pretrains an encoder on a vision pretext task (Fashion-MNIST, or patches of photographs), measures\nthe task on held-out data, then evaluates the encoder on Fashion-MNIST with a linear probe and kNN\nbeside the random-init and raw-pixel floors (RGB encoders: grey replicated to RGB).',
  flags: FLAGS,
  defaultOut: (v) => `runs/${v.task}`,
  experiment(v) {
    const { task: id, seed } = v;
    const pretrainData = v['pretrain-data'] ?? (id === 'colorization' ? 'photos' : 'fashion-mnist');
    const defences = pretrainData === 'photos' && PHOTO_TASKS[id]?.length ? PHOTO_TASKS[id] : undefined;
    const defence = defences && (v['chromatic-defence'] ?? defences[0]);
    const fineTune = v['fine-tune-epochs'];
    const run = `this run is ${id} on ${pretrainData}`;
    const tileFlag = v['chromatic-defence'] === undefined ? 'photo-patch-size' : 'chromatic-defence';
    const checks: [unknown, string][] = [
      [pretrainData === 'fashion-mnist' || PHOTO_TASKS[id], `--pretrain-data photos: ${id} trains on Fashion-MNIST`],
      [pretrainData === 'photos' || id !== 'colorization', '--pretrain-data: colorization needs photos'],
      [v.photos === undefined || pretrainData === 'photos', `--photos: add --pretrain-data photos; ${run}`],
      [v[tileFlag] === undefined || defences, `--${tileFlag}: for photo jigsaw and relative-location; ${run}`],
      [!defence || defences?.includes(defence), `--chromatic-defence: ${defence} is not one of ${defences}`],
      [v['mask-ratio'] < 1, `--mask-ratio: expected a number in [0, 1), got '${v['mask-ratio']}'`],
      [fineTune || (v['fine-tune-labels'] ?? v['fine-tune-lr']) === undefined, '--fine-tune-*: add --fine-tune-epochs'],
    ];
    for (const [ok, message] of checks) if (!ok) throw new CliError('usage', message);
    const patchSize = defences && (v['photo-patch-size'] ?? 28);
    const epochs = v.epochs ?? EPOCHS[id] ?? 3;
    const lr = v.lr ?? (id === 'mae' ? 1.5e-3 : 2e-3);
    // The run's settings: the app's flags, resolved (not where it runs, how far, or how loudly).
    const settings = Object.fromEntries(Object.keys(FLAGS).map((name) => [name, v[name as keyof typeof FLAGS]]));
    const resolved = { 'pretrain-data': pretrainData, 'chromatic-defence': defence, 'photo-patch-size': patchSize };
    const source = v.data ?? 'embedded Fashion-MNIST subset';
    return {
      title: `selfsup ${id} pretext task`,
      objective: { kind: 'task', id },
      config: { ...settings, ...resolved, epochs, lr },
      training: {
        epochs,
        optimizer: { kind: 'adam' },
        schedule: ({ stepsPerEpoch, totalSteps }) => ({
          kind: 'warmup-cosine',
          learningRate: lr,
          warmupSteps: Math.min(totalSteps, Math.round(v['warmup-epochs'] * stepsPerEpoch)),
          totalSteps,
          finalLearningRate: lr * 0.01,
        }),
        seed,
        checkpoint: { everySteps: 100, keep: 2 },
      },
      async prepare({ log }) {
        const dir = v.data === undefined ? {} : { dir: v.data };
        const train = await loadIdxImages({ split: 'train', ...dir });
        const test = await loadIdxImages({ split: 'test', ...dir });
        const batchSize = v['batch-size'];
        const limits = { 'batch-size': batchSize, 'fine-tune-labels': v['fine-tune-labels'] ?? 0 };
        const over = Object.entries(limits).find(([, count]) => count > train.count);
        if (over) throw new Error(`--${over[0]} ${over[1]} is more than the ${train.count} images of ${source}`);
        // Tile tasks on photos cut tiles from patches of --photo-patch-size; colorization sees whole 28×28 patches.
        const size = patchSize ?? train.height;
        const files = pretrainData === 'photos' ? await photoFiles(v.photos?.split(',')) : undefined;
        const photos = files && (await loadPhotoSplit(files, { patchSize: size }));
        if (photos) log(`photographs: ${photos.trainFiles.length} to train on, held out: ${photos.heldOutFiles}`);
        const makeTask = (withDefence?: string) =>
          TASKS.create(id, TASK_OPTIONS[id]?.(v, size, withDefence, photos)) as PretextTask<object, Tensor4D>;
        const task = makeTask(defence);
        // The same puzzles undefended, on held-out patches in colour and in grayscale: a gap means colour is read.
        const undefended = defence && makeTask('none');
        const colorization = id === 'colorization' ? (task as ColorizationTask) : undefined;
        const encoders = taskEncoders(task, {
          sampleShape: [size, size, photos ? 3 : 1],
          evaluationSize: [train.height, train.width],
          create: (input) => createEncoder(input, seed),
        });
        const objective = taskObjective(task, encoders.encoder, { seed: seed + 1 });
        const encoder = encoders.evaluationEncoder;
        const rgb = encoder.inputShape[2] === 3;
        const labeled = { train: rgb ? greyToRgb(train) : train, test: rgb ? greyToRgb(test) : test, seed, log };
        const classes = FASHION_MNIST_CLASSES.length;
        const steps = Math.floor(train.count / batchSize);
        const patches = (images: Tensor4D, batch: number, batches: number, seed: number) =>
          photoPatchDataset(images, { batchSize: batch, batchesPerEpoch: batches, patchSize: size, seed });
        const heldOut = photos
          ? patches(photos.heldOut, 1024, 1, seed + 11)
          : labeledImageBatches(test, { batchSize: Math.min(test.count, 1000), seed });
        const metricsOn = (t: typeof task, data = heldOut, scorer: Scorer = objective) =>
          evaluateTaskMetrics(t, scorer, data, { seed, batches: 1 });
        const fineTuneLr = v['fine-tune-lr'] ?? 1e-4;
        const fineTuning = { ...labeled, classes, epochs: fineTune, encoderLearningRate: fineTuneLr };
        const labels = v['fine-tune-labels'] === undefined ? {} : { labels: v['fine-tune-labels'] };
        const probe = v['probe-epochs'] === undefined ? {} : { probeEpochs: v['probe-epochs'] };
        return {
          objective,
          encoder,
          data: photos
            ? patches(photos.train, batchSize, steps, seed)
            : labeledImageBatches(train, { batchSize, seed }),
          examples: photos ? 'photo patches' : 'images',
          // A resume must see the same photographs (the default ones are whatever is installed).
          ...(files ? { dataFingerprint: files.join('\n') } : {}),
          exampleCount: photos ? steps * batchSize : train.count,
          dataDescription: photos
            ? `${photos.trainFiles.length} photographs (${size}×${size} patches; ${photos.heldOutFiles.length} held out), then ${source}`
            : `${source}: ${train.count} training and ${test.count} test images of ${train.height}×${train.width}`,
          evaluation: encoderEvaluation(encoder, { ...labeled, classes, ...probe }),
          afterPretraining: () => encoders.copyTrainedWeights(),
          measure: async () =>
            flattenMeasures({
              heldOut: await metricsOn(task),
              pretextChance: task.chance,
              colour: undefended && (await metricsOn(undefended)),
              grayscale: undefended && (await metricsOn(undefended, mapped(heldOut, grayscale))),
              greyFloor: colorization && (await metricsOn(task, heldOut, greyFloor(colorization))),
              fineTune:
                fineTune > 0
                  ? await fineTuneBesideRandomInit(encoder, {
                      ...fineTuning,
                      ...labels,
                      headLearningRate: 10 * fineTuneLr,
                    })
                  : undefined,
            }),
          // Colorization: 8 held-out patches — the lightness the network saw, its colours, the original (4× enlarged).
          async saveArtifacts(paths): Promise<Record<string, string>> {
            if (!colorization || !photos) return {};
            const path = join(paths.dir, 'colorization.png');
            const mode = { training: false };
            const predict = (lightness: Tensor4D) =>
              objective.head?.apply(encoder.apply(lightness, mode), mode) as Tensor;
            const originals = photoPatchSample(photos.heldOut, 8, size, seed + 11);
            const grid = colorizationPreviewOf(colorization, predict, originals, { scale: 4 });
            await writePng(grid, path).finally(() => tf.dispose([originals, grid]));
            return { colorization: path };
          },
          dispose() {
            objective.dispose();
            encoders.dispose();
            tf.dispose([photos?.train, photos?.heldOut].filter((t) => t !== undefined));
          },
        };
      },
    };
  },
  describe: ({ objective, measures }) => [
    `${objective.id}: ${Object.entries(measures)
      .map(([name, x]) => `${name} ${typeof x === 'number' ? +x.toFixed(4) : x}`)
      .join(', ')}`,
  ],
};
