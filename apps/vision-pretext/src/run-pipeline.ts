import { join, resolve } from 'node:path';
import { writePng } from '@selfsup/augment';
import { type BackendInfo, createRng, initBackend, type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import { type Dataset, FASHION_MNIST_CLASSES, imageBatch, labeledImageBatches, loadIdxImages } from '@selfsup/data';
import { saveModule } from '@selfsup/models';
import type { PretextTask } from '@selfsup/pretext';
import {
  type EvaluationRow,
  evaluateEncoder,
  type FineTuneComparison,
  fineTuneBesideRandomInit,
  metricsLogCallback,
  pretrain,
  progressCallback,
  requireLatestCheckpoint,
  type TrainingCallback,
  taskObjective,
  writeReport,
} from '@selfsup/trainer';
import { type ColorizationTask, colorizationPreview } from '@selfsup/vision';
import { greyToRgb } from './grey-to-rgb.js';
import {
  loadPhotos,
  photoDecodeSize,
  photoPatchDataset,
  photoPatchSample,
  resolvePhotoFiles,
} from './photo-patches.js';
import type { PipelineOptions } from './pipeline-options.js';
import { createTaskSetup, pretextChance, TASK_DEFAULTS, undefendedTask } from './task-setup.js';

/** The one JSON line the app prints at the end. */
export interface PipelineResult {
  task: string;
  /** What the encoder pretrained on: `fashion-mnist` or `photos`. */
  pretrainData: string;
  /** Photo jigsaw / relative location: the colour defence the task trained with (`none`: the ablation). */
  chromaticDefence?: string;
  /** Photo jigsaw / relative location: the side of the photo patches tiles are cut from. */
  photoPatchSize?: number;
  epochs: number;
  steps: number;
  /** Pretext metrics on held-out data (Fashion-MNIST test images, or patches of the held-out photos). */
  heldOutPretextMetrics: Record<string, number>;
  /** Classification pretext tasks: chance accuracy (1/4 rotation, 1/permutations jigsaw, 1/8 relative location). */
  pretextChance?: number;
  /**
   * Photo jigsaw / relative location: the held-out metrics on the same puzzles with no colour
   * defence, in full colour and in grayscale; a gap between them means the network reads colour
   * (e.g. chromatic aberration) rather than content.
   */
  heldOutColourMetrics?: Record<string, number>;
  heldOutGrayscaleMetrics?: Record<string, number>;
  /** Colorization: the same metrics for predicting grey (ab = 0), the floor. */
  greyFloorMetrics?: Record<string, number>;
  linearProbeAccuracy: number;
  knnAccuracy: number;
  randomInitLinearProbeAccuracy: number;
  randomInitKnnAccuracy: number;
  rawPixelsLinearProbeAccuracy: number;
  rawPixelsKnnAccuracy: number;
  /** With --fine-tune-epochs: test accuracy after fine-tuning, of the pretrained encoder and of its random-init twin. */
  fineTune?: FineTuneComparison;
  imagesPerSecond: number;
  wallSeconds: number;
  pretrainSeconds: number;
  reportPath: string;
  previewPath?: string;
  backend: string;
  trainImages: number;
  testImages: number;
  /** Colorization: training and held-out photographs. */
  photos?: { train: number; heldOut: number };
}

/** The index of the ab bin centred on grey (a = b = 0). */
function greyBin(task: ColorizationTask): number {
  for (let q = 0; q < task.bins.count; q++) {
    if (task.bins.centers[2 * q] === 0 && task.bins.centers[2 * q + 1] === 0) return q;
  }
  throw new Error('colorization: the ab bins have no grey bin');
}

/** Pretext metrics of an objective on a task batch made from `images` (evaluation mode, fixed seed). */
function heldOutMetrics(
  objective: ReturnType<typeof taskObjective>,
  images: Tensor4D,
  seed: number,
): Record<string, number> {
  const prepared = objective.prepare(images, createRng(seed).fork('held-out'));
  try {
    return objective.metrics?.(prepared) ?? {};
  } finally {
    tf.dispose(prepared as unknown as tf.TensorContainer);
  }
}

/** Pretext metrics of `task`'s batch made from `images`, scored by the objective's encoder and head. */
function taskMetrics(
  objective: ReturnType<typeof taskObjective>,
  task: PretextTask<object, Tensor4D>,
  images: Tensor4D,
  seed: number,
): Record<string, number> {
  // The same rng as heldOutMetrics: the same crops, tile positions and labels.
  const batch = task.makeBatch(images, { rng: createRng(seed).fork('held-out'), training: false });
  try {
    return objective.metrics?.(batch) ?? {};
  } finally {
    tf.dispose(batch as unknown as tf.TensorContainer);
  }
}

/** RGB images in grayscale (ITU-R 601 luma in all three channels). */
function grayscaleRgb(images: Tensor4D): Tensor4D {
  return tf.tidy(() => tf.tile(tf.sum(tf.mul(images, [0.299, 0.587, 0.114]), 3, true), [1, 1, 1, 3]) as Tensor4D);
}

const formatMetrics = (metrics: Record<string, number>, digits = 3) =>
  Object.entries(metrics)
    .map(([k, v]) => `${k} ${v.toFixed(digits)}`)
    .join(', ');

/**
 * Pretrains an encoder on a vision pretext task — on Fashion-MNIST (embedded subset or an IDX
 * directory), or on random patches of real photographs (colorization; jigsaw and relative
 * location with `pretrainData: 'photos'`, RGB encoders) — saves it, measures the pretext task on
 * held-out data (photo runs: patches of held-out photos, beside chance and, for jigsaw and
 * relative location, in colour and grayscale with no defence), evaluates the encoder on
 * Fashion-MNIST beside its floors (RGB encoders: grey replicated to RGB), and writes an HTML report.
 */
export async function runPipeline(
  options: PipelineOptions,
  log: (line: string) => void = console.log,
): Promise<{ result: PipelineResult; evaluation: EvaluationRow[]; backend: BackendInfo }> {
  const started = performance.now();
  if (options.resume) {
    // A mistyped --out, or a run stopped before its first checkpoint, must not silently start anew.
    await requireLatestCheckpoint(join(resolve(options.out), 'checkpoints')).catch((error: unknown) => {
      throw new Error(`--resume: ${(error as Error).message}`);
    });
  }
  const defaults = TASK_DEFAULTS[options.task];
  const epochs = options.epochs ?? defaults.epochs;
  const batchSize = options.batchSize ?? defaults.batchSize;
  const learningRate = options.learningRate ?? defaults.learningRate;
  const backend = await initBackend({
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.wasmThreads === undefined ? {} : { wasmThreads: options.wasmThreads }),
  });
  const source = options.data ?? 'embedded Fashion-MNIST subset';
  const [train, test] = await Promise.all([
    loadIdxImages({ split: 'train', ...(options.data === undefined ? {} : { dir: options.data }) }),
    loadIdxImages({ split: 'test', ...(options.data === undefined ? {} : { dir: options.data }) }),
  ]);
  if (train.count < batchSize) {
    throw new Error(`--batch-size ${batchSize} is larger than the ${train.count} training images of ${source}`);
  }
  if (options.fineTuneLabels !== undefined && options.fineTuneLabels > train.count) {
    throw new Error(
      `--fine-tune-labels ${options.fineTuneLabels} is larger than the ${train.count} training images of ${source}`,
    );
  }
  log(
    `${source}: ${train.count} training and ${test.count} test images of ${train.height}×${train.width}; backend ${backend.name} (${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
  );
  const out = resolve(options.out);
  const colour = options.pretrainData === 'photos';
  // Jigsaw and relative location on photos train an RGB encoder: evaluate it on grey replicated to RGB.
  const rgbEvaluation = colour && options.task !== 'colorization';
  const evaluationSets = rgbEvaluation ? { train: greyToRgb(train), test: greyToRgb(test) } : { train, test };
  const chance = pretextChance(options);
  // Photo patches: jigsaw and relative location cut tiles from patches of --photo-patch-size; colorization's encoder sees whole 28×28 patches.
  const photoPatchSize = options.photoPatchSize ?? train.height;
  const toDispose: Tensor[] = [];
  let photos: { train: Tensor4D; heldOut: Tensor4D; trainFiles: number; heldOutFiles: number } | undefined;
  if (colour) {
    const files = await resolvePhotoFiles(options.photos);
    // Every fourth photograph is held out: evaluation patches come from photos training never saw.
    const heldOutFiles = files.filter((_, i) => i % 4 === 3);
    const trainFiles = files.filter((_, i) => i % 4 !== 3);
    photos = {
      train: await loadPhotos(trainFiles, photoDecodeSize(photoPatchSize)),
      heldOut: await loadPhotos(heldOutFiles, photoDecodeSize(photoPatchSize)),
      trainFiles: trainFiles.length,
      heldOutFiles: heldOutFiles.length,
    };
    toDispose.push(photos.train, photos.heldOut);
    log(`photographs: ${trainFiles.length} for training, ${heldOutFiles.length} held out (${heldOutFiles.join(', ')})`);
  }
  const priorSample =
    photos === undefined || options.task !== 'colorization'
      ? undefined
      : photoPatchSample(photos.train, 2048, train.height, options.seed + 7);
  if (priorSample !== undefined) toDispose.push(priorSample);
  const setup = createTaskSetup(options, train, priorSample);
  const objective = taskObjective(setup.task, setup.encoder, { seed: options.seed + 1 });
  const data: Dataset<Tensor4D> =
    photos === undefined
      ? labeledImageBatches(train, { batchSize, seed: options.seed })
      : photoPatchDataset(photos.train, {
          batchSize,
          batchesPerEpoch: Math.floor(train.count / batchSize),
          patchSize: photoPatchSize,
          seed: options.seed,
        });
  const stepsPerEpoch = data.size as number;
  const callbacks: TrainingCallback[] = [metricsLogCallback(join(out, 'metrics.jsonl'))];
  if (!options.quiet) callbacks.push(progressCallback({ everySteps: Math.max(1, Math.floor(stepsPerEpoch / 4)) }));
  const config = {
    ...options,
    epochs,
    batchSize,
    learningRate,
    out,
    source,
    task: { id: setup.task.id, options: setup.task.options },
    encoder: setup.encoder.config,
    stepsPerEpoch,
  };
  try {
    const run = await pretrain({
      objective,
      data,
      epochs,
      optimizer: { kind: 'adam' },
      schedule: ({ totalSteps }) => ({
        kind: 'warmup-cosine',
        learningRate,
        warmupSteps: Math.min(totalSteps, Math.round(options.warmupEpochs * stepsPerEpoch)),
        totalSteps,
        finalLearningRate: learningRate * 0.01,
      }),
      seed: options.seed,
      checkpoint: { dir: join(out, 'checkpoints'), everySteps: 100, keep: 2 },
      resume: options.resume,
      callbacks,
      config,
      ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    });
    log(
      `pretrained ${setup.task.id} ${run.steps} steps (${run.epochs} epochs) in ${run.trainingSeconds.toFixed(1)} s, ${run.imagesPerSecond.toFixed(0)} images/s${run.resumedFromStep === undefined ? '' : ` (resumed from step ${run.resumedFromStep})`}`,
    );

    // The pretext task on held-out data.
    let heldOutPretextMetrics: Record<string, number>;
    let greyFloorMetrics: Record<string, number> | undefined;
    let heldOutColourMetrics: Record<string, number> | undefined;
    let heldOutGrayscaleMetrics: Record<string, number> | undefined;
    let previewPath: string | undefined;
    const chanceNote = chance === undefined ? '' : ` (chance ${chance.toFixed(3)})`;
    if (photos !== undefined && options.task !== 'colorization') {
      const heldOut = photoPatchSample(photos.heldOut, 1024, photoPatchSize, options.seed + 11);
      toDispose.push(heldOut);
      heldOutPretextMetrics = heldOutMetrics(objective, heldOut, options.seed);
      const undefended = undefendedTask(options);
      if (undefended !== undefined) {
        heldOutColourMetrics = taskMetrics(objective, undefended, heldOut, options.seed);
        const grayscale = grayscaleRgb(heldOut);
        try {
          heldOutGrayscaleMetrics = taskMetrics(objective, undefended, grayscale, options.seed);
        } finally {
          grayscale.dispose();
        }
      }
      log(
        `held-out photos (${heldOut.shape[0]} patches of ${photos.heldOutFiles} photos), defence ${options.chromaticDefence}: ${formatMetrics(heldOutPretextMetrics)}${chanceNote}; no defence, colour: ${formatMetrics(heldOutColourMetrics ?? {})}; grayscale: ${formatMetrics(heldOutGrayscaleMetrics ?? {})}`,
      );
    } else if (photos !== undefined) {
      const task = setup.task as unknown as ColorizationTask;
      const heldOut = photoPatchSample(photos.heldOut, 512, train.height, options.seed + 11);
      toDispose.push(heldOut);
      heldOutPretextMetrics = heldOutMetrics(objective, heldOut, options.seed);
      const batch = task.makeBatch(heldOut, { rng: createRng(0), training: false });
      try {
        const count = heldOut.shape[0];
        const [h, w] = [batch.targetAb.shape[1], batch.targetAb.shape[2]];
        const grey = tf.tidy(() =>
          task.options.mode === 'regression'
            ? tf.zeros([count, h * w * 2])
            : // Logits peaked on the grey bin (a = b = 0): the annealed mean decodes to grey.
              tf.reshape(tf.mul(tf.oneHot(tf.fill([count * h * w], greyBin(task), 'int32'), task.bins.count), 50), [
                count,
                -1,
              ]),
        );
        greyFloorMetrics = task.metrics?.(grey, batch) ?? {};
        grey.dispose();
        previewPath = join(out, 'colorization.png');
        const shown = tf.tidy(() => tf.slice(heldOut, [0, 0, 0, 0], [8, -1, -1, -1]) as Tensor4D);
        const preview = tf.tidy(() => {
          const outputs = objective.head?.apply(
            setup.encoder.apply(tf.slice(batch.inputs, [0, 0, 0, 0], [8, -1, -1, -1]), { training: false }),
            { training: false },
          ) as Tensor;
          const lightness = tf.slice(batch.inputs, [0, 0, 0, 0], [8, -1, -1, -1]) as Tensor4D;
          const predicted = task.colorize(lightness, task.decodeAb(outputs, shown.shape));
          const grid = colorizationPreview(shown, predicted);
          return tf.image.resizeNearestNeighbor(grid.expandDims(0) as Tensor4D, [grid.shape[0] * 4, grid.shape[1] * 4]);
        });
        await writePng(preview, previewPath);
        tf.dispose([shown, preview]);
      } finally {
        tf.dispose(batch as unknown as tf.TensorContainer);
      }
      log(
        `held-out photos: ${Object.entries(heldOutPretextMetrics)
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(', ')} (grey floor: ${Object.entries(greyFloorMetrics)
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(', ')}); preview ${previewPath}`,
      );
    } else {
      const sample = imageBatch(
        test,
        Array.from({ length: Math.min(test.count, 1000) }, (_, i) => i),
      );
      sample.labels.dispose();
      heldOutPretextMetrics = heldOutMetrics(objective, sample.images, options.seed);
      sample.images.dispose();
      log(
        `held-out pretext (${Math.min(test.count, 1000)} test images): ${formatMetrics(heldOutPretextMetrics, 4)}${chanceNote}`,
      );
    }

    const evaluationEncoder = setup.evaluationEncoder();
    await saveModule(evaluationEncoder, join(out, 'encoder'));
    log(
      'evaluating on Fashion-MNIST: linear probe and kNN on frozen features, beside the random-init and raw-pixel floors',
    );
    const evaluation = evaluateEncoder(evaluationEncoder, {
      ...evaluationSets,
      classes: FASHION_MNIST_CLASSES.length,
      seed: options.seed,
      log,
      ...(options.probeEpochs === undefined ? {} : { probeEpochs: options.probeEpochs }),
    });
    const fineTuned =
      options.fineTuneEpochs === 0
        ? undefined
        : fineTuneBesideRandomInit(evaluationEncoder, {
            ...evaluationSets,
            classes: FASHION_MNIST_CLASSES.length,
            epochs: options.fineTuneEpochs,
            encoderLearningRate: options.fineTuneLearningRate,
            headLearningRate: 10 * options.fineTuneLearningRate,
            seed: options.seed,
            log,
            ...(options.fineTuneLabels === undefined ? {} : { labels: options.fineTuneLabels }),
          });
    const row = (name: string) => evaluation.find((r) => r.features === name) as EvaluationRow;
    const wallSeconds = (performance.now() - started) / 1000;
    const summary: Record<string, string> = {
      task: setup.task.id,
      'pretraining data':
        photos === undefined
          ? source
          : `${photos.trainFiles} photographs (${photoPatchSize}×${photoPatchSize} patches; ${photos.heldOutFiles} held out)`,
      'evaluation data': rgbEvaluation ? `${source}, grey replicated to RGB` : source,
      backend: `${backend.name} (${backend.provider}, ${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
      'pretraining steps': `${run.steps} (${run.epochs} epochs × ${stepsPerEpoch})`,
      'images / s (task batch + forward + backward + update)': run.imagesPerSecond.toFixed(1),
      'pretraining seconds': run.trainingSeconds.toFixed(1),
      'wall seconds': wallSeconds.toFixed(1),
    };
    if (options.chromaticDefence !== undefined) summary['chromatic defence'] = options.chromaticDefence;
    for (const [key, value] of Object.entries(heldOutPretextMetrics)) summary[`held-out ${key}`] = value.toFixed(4);
    if (chance !== undefined) summary['pretext chance'] = chance.toFixed(4);
    for (const [key, value] of Object.entries(heldOutColourMetrics ?? {}))
      summary[`held-out ${key}, colour, no defence`] = value.toFixed(4);
    for (const [key, value] of Object.entries(heldOutGrayscaleMetrics ?? {}))
      summary[`held-out ${key}, grayscale`] = value.toFixed(4);
    if (fineTuned !== undefined) {
      const budget = `${fineTuned.labels} labels, ${fineTuned.epochs} epochs, encoder lr ${options.fineTuneLearningRate}`;
      summary[`fine-tuned test accuracy (${budget})`] = fineTuned.pretrained.testAccuracy.toFixed(4);
      summary[`fine-tuned test accuracy, random-init twin (${budget})`] = fineTuned.randomInit.testAccuracy.toFixed(4);
    }
    const reportPath = await writeReport(out, {
      title: `selfsup ${setup.task.id} pretext task`,
      history: run.history,
      evaluation,
      ...(previewPath === undefined ? {} : { previewImage: 'colorization.png' }),
      summary,
      config,
    });
    return {
      backend,
      evaluation,
      result: {
        task: setup.task.id,
        pretrainData: options.pretrainData,
        ...(options.chromaticDefence === undefined ? {} : { chromaticDefence: options.chromaticDefence }),
        ...(options.photoPatchSize === undefined ? {} : { photoPatchSize: options.photoPatchSize }),
        epochs: run.epochs,
        steps: run.steps,
        heldOutPretextMetrics,
        ...(chance === undefined ? {} : { pretextChance: chance }),
        ...(heldOutColourMetrics === undefined ? {} : { heldOutColourMetrics }),
        ...(heldOutGrayscaleMetrics === undefined ? {} : { heldOutGrayscaleMetrics }),
        ...(greyFloorMetrics === undefined ? {} : { greyFloorMetrics }),
        linearProbeAccuracy: row('pretrained').linearProbeAccuracy,
        knnAccuracy: row('pretrained').knnAccuracy,
        randomInitLinearProbeAccuracy: row('random-init').linearProbeAccuracy,
        randomInitKnnAccuracy: row('random-init').knnAccuracy,
        rawPixelsLinearProbeAccuracy: row('raw-pixels').linearProbeAccuracy,
        rawPixelsKnnAccuracy: row('raw-pixels').knnAccuracy,
        ...(fineTuned === undefined ? {} : { fineTune: fineTuned }),
        imagesPerSecond: run.imagesPerSecond,
        wallSeconds,
        pretrainSeconds: run.trainingSeconds,
        reportPath,
        ...(previewPath === undefined ? {} : { previewPath }),
        backend: backend.name,
        trainImages: train.count,
        testImages: test.count,
        ...(photos === undefined ? {} : { photos: { train: photos.trainFiles, heldOut: photos.heldOutFiles } }),
      },
    };
  } finally {
    objective.dispose();
    setup.dispose();
    tf.dispose(toDispose);
  }
}
