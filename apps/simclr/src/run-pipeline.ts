import { join, resolve } from 'node:path';
import { augmentationPreview } from '@selfsup/augment';
import { type BackendInfo, initBackend, type Tensor4D } from '@selfsup/backend';
import { FASHION_MNIST_CLASSES, imageBatch, labeledImageBatches, loadIdxImages } from '@selfsup/data';
import { createSmallCnn, FASHION_MNIST_NORMALIZATION, saveModule } from '@selfsup/models';
import {
  createMethod,
  defaultTwoViews,
  type EvaluationRow,
  etaCallback,
  evaluateEncoder,
  evaluateFloors,
  metricsLogCallback,
  pretrain,
  progressCallback,
  requireLatestCheckpoint,
  type TrainingCallback,
  writeReport,
} from '@selfsup/trainer';
import type { PipelineOptions } from './pipeline-options.js';

/** The one JSON line every app prints at the end. */
export interface PipelineResult {
  method: string;
  epochs: number;
  steps: number;
  linearProbeAccuracy: number;
  knnAccuracy: number;
  randomInitLinearProbeAccuracy: number;
  randomInitKnnAccuracy: number;
  rawPixelsLinearProbeAccuracy: number;
  rawPixelsKnnAccuracy: number;
  imagesPerSecond: number;
  wallSeconds: number;
  pretrainSeconds: number;
  /** The first estimate of `wallSeconds`, made after a few pretraining steps (absent when the run ended first). */
  estimatedWallSeconds?: number;
  reportPath: string;
  backend: string;
  trainImages: number;
  testImages: number;
}

/**
 * Pretrains the reference encoder with a self-supervised method on Fashion-MNIST (embedded subset
 * or an IDX directory), saves it, evaluates it beside its floors on the held-out test split, and
 * writes an HTML report.
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
  const backend = await initBackend({
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.wasmThreads === undefined ? {} : { wasmThreads: options.wasmThreads }),
  });
  const source = options.data ?? 'embedded Fashion-MNIST subset';
  const [train, test] = await Promise.all([
    loadIdxImages({ split: 'train', ...(options.data === undefined ? {} : { dir: options.data }) }),
    loadIdxImages({ split: 'test', ...(options.data === undefined ? {} : { dir: options.data }) }),
  ]);
  if (train.count < options.batchSize) {
    throw new Error(`--batch-size ${options.batchSize} is larger than the ${train.count} training images of ${source}`);
  }
  log(
    `${source}: ${train.count} training and ${test.count} test images of ${train.height}×${train.width}; backend ${backend.name} (${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
  );
  const out = resolve(options.out);
  const widths = [32, 64, 128, 128].map((w) => Math.max(1, Math.round(w * options.width)));
  const encoder = createSmallCnn({
    inputShape: [train.height, train.width, 1],
    widths,
    normalization: FASHION_MNIST_NORMALIZATION,
    weightInit: options.weightInit,
    seed: options.seed,
  });
  const objective = createMethod(options.method, {
    encoder,
    seed: options.seed + 1,
    headWeightInit: options.weightInit,
  });
  const evaluationOptions = {
    train,
    test,
    classes: FASHION_MNIST_CLASSES.length,
    seed: options.seed,
    log,
    ...(options.probeEpochs === undefined ? {} : { probeEpochs: options.probeEpochs }),
  };
  // The floors first: they do not depend on the pretrained weights, show the bar to clear before
  // the long part, and time the evaluation still to come (the same architecture on the same images).
  log('evaluating the floors first (random-init encoder, raw pixels); then pretraining, then the encoder');
  const floors = evaluateFloors(encoder, evaluationOptions);
  const data = labeledImageBatches(train, { batchSize: options.batchSize, seed: options.seed });
  const stepsPerEpoch = data.size as number;
  const eta = etaCallback({
    runStartedAt: started,
    secondsAfterTraining: (floors[0] as EvaluationRow).seconds,
    log,
  });
  const callbacks: TrainingCallback[] = [metricsLogCallback(join(out, 'metrics.jsonl')), eta];
  if (!options.quiet) callbacks.push(progressCallback({ everySteps: Math.max(1, Math.floor(stepsPerEpoch / 4)) }));
  const config = { ...options, out, source, encoder: encoder.config, stepsPerEpoch };
  try {
    const run = await pretrain({
      objective,
      data,
      epochs: options.epochs,
      optimizer:
        options.optimizer === 'lars'
          ? { kind: 'lars', weightDecay: 1e-6 }
          : options.optimizer === 'sgd'
            ? { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 }
            : { kind: options.optimizer },
      schedule: ({ totalSteps }) => ({
        kind: 'warmup-cosine',
        learningRate: options.learningRate,
        warmupSteps: Math.min(totalSteps, Math.round(options.warmupEpochs * stepsPerEpoch)),
        totalSteps,
        finalLearningRate: options.learningRate * (options.schedule === 'constant' ? 1 : 0.01),
      }),
      seed: options.seed,
      checkpoint: { dir: join(out, 'checkpoints'), everySteps: 100, keep: 2 },
      resume: options.resume,
      callbacks,
      config,
      ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    });
    log(
      `pretrained ${run.steps} steps (${run.epochs} epochs) in ${run.trainingSeconds.toFixed(1)} s, ${run.imagesPerSecond.toFixed(0)} images/s${run.resumedFromStep === undefined ? '' : ` (resumed from step ${run.resumedFromStep})`}`,
    );
    await saveModule(encoder, join(out, 'encoder'));
    const preview = imageBatch(test, [0, 1, 2, 3, 4, 5]);
    let previewImage: string | undefined = 'augmentations.png';
    try {
      const viewMaker = defaultTwoViews(encoder);
      await augmentationPreview(
        preview.images,
        (images, rng) => {
          const [first, second] = viewMaker(images as Tensor4D, rng);
          second?.dispose();
          return first as Tensor4D;
        },
        { views: 6, seed: options.seed, out: join(out, 'augmentations.png'), scale: 3 },
      );
    } catch (error) {
      // The preview is a picture for the report; a missing image codec must not cost the evaluation.
      previewImage = undefined;
      log(`augmentation preview skipped: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      preview.images.dispose();
      preview.labels.dispose();
    }
    log('evaluating the pretrained encoder: linear probe and kNN on frozen features');
    const evaluation = evaluateEncoder(encoder, { ...evaluationOptions, floors });
    const row = (name: string) => evaluation.find((r) => r.features === name) as EvaluationRow;
    const wallSeconds = (performance.now() - started) / 1000;
    const summary = {
      method: options.method,
      data: source,
      backend: `${backend.name} (${backend.provider}, ${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
      'pretraining steps': `${run.steps} (${run.epochs} epochs × ${stepsPerEpoch})`,
      'images / s (augment + forward + backward + update)': run.imagesPerSecond.toFixed(1),
      'pretraining seconds': run.trainingSeconds.toFixed(1),
      'wall seconds': wallSeconds.toFixed(1),
    };
    const reportPath = await writeReport(out, {
      title: `selfsup ${options.method} on ${source}`,
      history: run.history,
      evaluation,
      ...(previewImage === undefined ? {} : { previewImage }),
      summary,
      config,
    });
    return {
      backend,
      evaluation,
      result: {
        method: options.method,
        epochs: run.epochs,
        steps: run.steps,
        linearProbeAccuracy: row('pretrained').linearProbeAccuracy,
        knnAccuracy: row('pretrained').knnAccuracy,
        randomInitLinearProbeAccuracy: row('random-init').linearProbeAccuracy,
        randomInitKnnAccuracy: row('random-init').knnAccuracy,
        rawPixelsLinearProbeAccuracy: row('raw-pixels').linearProbeAccuracy,
        rawPixelsKnnAccuracy: row('raw-pixels').knnAccuracy,
        imagesPerSecond: run.imagesPerSecond,
        wallSeconds,
        pretrainSeconds: run.trainingSeconds,
        ...(eta.estimate() === undefined ? {} : { estimatedWallSeconds: eta.estimate()?.totalSeconds }),
        reportPath,
        backend: backend.name,
        trainImages: train.count,
        testImages: test.count,
      },
    };
  } finally {
    objective.dispose();
    encoder.dispose();
  }
}
