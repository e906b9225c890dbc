import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BackendInfo, createRng, initBackend, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { FASHION_MNIST_CLASSES, type LabeledImages, loadIdxImages } from '@selfsup/data';
import { createSmallCnn, type Encoder, type Head, saveModule } from '@selfsup/models';
import type { PretextTask } from '@selfsup/pretext';
import {
  type EvaluationRow,
  evaluateEncoder,
  metricsLogCallback,
  pretrain,
  progressCallback,
  type TrainingCallback,
  taskObjective,
  writeReport,
} from '@selfsup/trainer';
import {
  type BouncingItemVideoFile,
  type FrameSequences,
  loadVideos,
  orderPredictionTask,
  resolveFfmpeg,
  sequenceBatch,
  sequenceBatches,
  shuffleAndLearnTask,
  writeBouncingItemVideos,
} from '@selfsup/video';
import type { RunOptions } from './run-options.js';

/** The one JSON line the app prints at the end. */
export interface VideoOrderResult {
  task: string;
  epochs: number;
  steps: number;
  /** Order accuracy of the pretext head on held-out videos (eval mode). */
  orderAccuracy: number;
  /** The same on training videos. */
  trainOrderAccuracy: number;
  /** Accuracy of always answering the most frequent class (1/12 for OPN, 0.5 for Shuffle & Learn). */
  orderChance: number;
  orderClasses: number;
  linearProbeAccuracy: number;
  knnAccuracy: number;
  randomInitLinearProbeAccuracy: number;
  randomInitKnnAccuracy: number;
  rawPixelsLinearProbeAccuracy: number;
  rawPixelsKnnAccuracy: number;
  trainVideos: number;
  testVideos: number;
  skippedVideos: number;
  probeTrainFrames: number;
  probeTestFrames: number;
  generateSeconds: number;
  decodeSeconds: number;
  sequencesPerSecond: number;
  pretrainSeconds: number;
  wallSeconds: number;
  reportPath: string;
  backend: string;
  ffmpeg: string;
}

type OrderTask = PretextTask<object, Tensor>;

/** Chance and classes of a task: OPN's 12 equally likely orders, or Shuffle & Learn's two answers. */
function taskFor(options: RunOptions): { task: OrderTask; classes: number; chance: number } {
  if (options.task === 'opn') {
    const task = orderPredictionTask({ windowSpan: options.windowSpan });
    return { task, classes: task.orders.length, chance: 1 / task.orders.length };
  }
  const task = shuffleAndLearnTask({
    windowSpan: options.windowSpan,
    ...(options.minimumGap === undefined ? {} : { minimumGap: options.minimumGap }),
  });
  return { task, classes: 2, chance: Math.max(task.options.positiveFraction, 1 - task.options.positiveFraction) };
}

interface GeneratedVideos {
  train: BouncingItemVideoFile[];
  test: BouncingItemVideoFile[];
  seconds: number;
  reused: boolean;
}

/**
 * Writes the videos (or reuses them when `config.json` matches): Fashion-MNIST training items for
 * pretraining, test items held out; mp4 (h264) and webm (VP9) alternate.
 */
async function generateVideos(options: RunOptions, dir: string, log: (line: string) => void): Promise<GeneratedVideos> {
  const started = performance.now();
  const motion = {
    frames: options.frames,
    frameSize: options.renderSize,
    // Items spin, bounce, and move in depth (grow or shrink by 25–40 %): changes a per-frame
    // encoder with global pooling can see (it is blind to where an item is).
    scale: [0.8, 1] as [number, number],
    zoom: [0.25, 0.4] as [number, number],
    fps: 12,
    codec: ['h264', 'vp9'] as const,
    seed: options.seed,
  };
  const config = { version: 1, trainVideos: options.trainVideos, testVideos: options.testVideos, ...motion };
  const configPath = join(dir, 'config.json');
  const manifests = [join(dir, 'train', 'manifest.json'), join(dir, 'test', 'manifest.json')];
  if (existsSync(configPath) && manifests.every((path) => existsSync(path))) {
    const saved = JSON.parse(readFileSync(configPath, 'utf8'));
    if (JSON.stringify(saved) === JSON.stringify(config)) {
      const [train, test] = manifests.map((path) => {
        const folder = resolve(path, '..');
        return (JSON.parse(readFileSync(path, 'utf8')) as BouncingItemVideoFile[]).map((entry) => ({
          ...entry,
          file: join(folder, entry.file),
        }));
      }) as [BouncingItemVideoFile[], BouncingItemVideoFile[]];
      if ([...train, ...test].every((video) => existsSync(video.file))) {
        log(`reusing ${train.length} + ${test.length} videos in ${dir}`);
        return { train, test, seconds: (performance.now() - started) / 1000, reused: true };
      }
    }
  }
  const [trainSet, testSet] = await Promise.all([loadIdxImages({ split: 'train' }), loadIdxImages({ split: 'test' })]);
  if (options.trainVideos > trainSet.count || options.testVideos > testSet.count) {
    throw new Error(
      `--train-videos/--test-videos: the embedded Fashion-MNIST subset has ${trainSet.count} training and ${testSet.count} test items`,
    );
  }
  const rng = createRng(options.seed).fork('videos');
  const pick = (count: number, total: number, label: string) =>
    Array.from(rng.fork(label).permutation(total).subarray(0, count)).sort((a, b) => a - b);
  await rm(join(dir, 'train'), { recursive: true, force: true });
  await rm(join(dir, 'test'), { recursive: true, force: true });
  log(`writing ${options.trainVideos} + ${options.testVideos} videos (mp4/h264 and webm/VP9) with ffmpeg into ${dir}`);
  const train = await writeBouncingItemVideos(trainSet, join(dir, 'train'), {
    ...motion,
    items: pick(options.trainVideos, trainSet.count, 'train'),
  });
  const test = await writeBouncingItemVideos(testSet, join(dir, 'test'), {
    ...motion,
    items: pick(options.testVideos, testSet.count, 'test'),
    prefix: 'test-item',
  });
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return { train, test, seconds: (performance.now() - started) / 1000, reused: false };
}

/** Single frames of every sequence (evenly spaced) with the item's class: the downstream probe's data. */
function probeFrames(sequences: FrameSequences, labels: readonly number[], perSequence: number): LabeledImages {
  const { frames, height, width, channels } = sequences;
  const frameSize = height * width * channels;
  const picks = Array.from({ length: perSequence }, (_, k) =>
    perSequence === 1 ? 0 : Math.round((k * (frames - 1)) / (perSequence - 1)),
  );
  const count = sequences.count * perSequence;
  const images = new Uint8Array(count * frameSize);
  const frameLabels = new Uint8Array(count);
  for (let s = 0; s < sequences.count; s++) {
    picks.forEach((frame, k) => {
      const source = (s * frames + frame) * frameSize;
      images.set(sequences.data.subarray(source, source + frameSize), (s * perSequence + k) * frameSize);
      frameLabels[s * perSequence + k] = labels[s] as number;
    });
  }
  return { images, labels: frameLabels, count, height, width, channels };
}

/** The pretext head's accuracy on task batches made from the given sequences (eval mode, fixed seeds). */
function orderAccuracyOn(
  task: OrderTask,
  encoder: Encoder,
  head: Head,
  sequences: FrameSequences,
  options: { batches: number; batchSize: number; seed: number },
): number {
  let correct = 0;
  let total = 0;
  for (let b = 0; b < options.batches; b++) {
    const indices = Array.from({ length: options.batchSize }, (_, i) => (b * options.batchSize + i) % sequences.count);
    const samples = sequenceBatch(sequences, indices);
    const batch = task.makeBatch(samples, { rng: createRng(options.seed).fork(`order-eval-${b}`), training: false });
    try {
      correct += tf.tidy(() => {
        const mode = { training: false };
        const outputs = head.apply(encoder.apply(batch.inputs, mode) as Tensor2D, mode);
        return tf.sum(tf.cast(tf.equal(tf.argMax(outputs, 1), batch.targets), 'float32')).dataSync()[0] as number;
      });
      total += batch.targets.shape[0] as number;
    } finally {
      tf.dispose([samples, batch as unknown as tf.TensorContainer]);
    }
  }
  return correct / total;
}

/**
 * Generates videos from Fashion-MNIST items, decodes them with ffmpeg, pretrains a per-frame
 * encoder on a frame-order task (OPN or Shuffle & Learn), reports the order accuracy on held-out
 * videos beside chance, then evaluates the frame encoder on single frames (linear probe and kNN)
 * beside the random-init and raw-pixel floors, and writes an HTML report.
 */
export async function runVideoOrder(
  options: RunOptions,
  log: (line: string) => void = console.log,
): Promise<{ result: VideoOrderResult; evaluation: EvaluationRow[]; backend: BackendInfo }> {
  const started = performance.now();
  const backend = await initBackend({
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.wasmThreads === undefined ? {} : { wasmThreads: options.wasmThreads }),
  });
  const tools = await resolveFfmpeg();
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  const videosDir = resolve(options.videos ?? join(out, 'videos'));
  log(
    `ffmpeg ${tools.ffmpeg.version} (${tools.ffmpeg.source}), backend ${backend.name} (${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
  );
  const videos = await generateVideos(options, videosDir, log);

  const decodeStarted = performance.now();
  const decode = (files: BouncingItemVideoFile[]) =>
    loadVideos(
      files.map((v) => v.file),
      { frames: { count: options.frames }, size: options.size, channels: 1, onError: 'skip' },
    );
  const [trainLoaded, testLoaded] = [await decode(videos.train), await decode(videos.test)];
  const decodeSeconds = (performance.now() - decodeStarted) / 1000;
  const skipped = [...trainLoaded.skipped, ...testLoaded.skipped];
  for (const { file, reason, message } of skipped) log(`skipped ${file} (${reason}): ${message}`);
  const labelOf = new Map([...videos.train, ...videos.test].map((v) => [v.file, v.label]));
  const labels = (files: string[]) => files.map((file) => labelOf.get(file) as number);
  const trainSequences = trainLoaded.sequences;
  const testSequences = testLoaded.sequences;
  log(
    `decoded ${trainSequences.count} training and ${testSequences.count} held-out videos (${options.frames} frames at ${options.size}×${options.size}) in ${decodeSeconds.toFixed(1)} s`,
  );
  if (trainSequences.count < options.batchSize) {
    throw new Error(`--batch-size ${options.batchSize} is larger than the ${trainSequences.count} training videos`);
  }

  const widths = [32, 64, 128, 128].map((w) => Math.max(1, Math.round(w * options.width)));
  const encoder = createSmallCnn({ inputShape: [options.size, options.size, 1], widths, seed: options.seed });
  const { task, classes, chance } = taskFor(options);
  const objective = taskObjective(task, encoder, { seed: options.seed + 1 });
  const head = objective.head as Head;
  try {
    const data = sequenceBatches(trainSequences, { batchSize: options.batchSize, seed: options.seed });
    const stepsPerEpoch = data.size as number;
    const callbacks: TrainingCallback[] = [metricsLogCallback(join(out, 'metrics.jsonl'))];
    if (!options.quiet) callbacks.push(progressCallback({ everySteps: Math.max(1, stepsPerEpoch * 5) }));
    const config = { ...options, out, videos: videosDir, encoder: encoder.config, task: task.options, stepsPerEpoch };
    log(
      `pretraining ${task.id} (${classes} classes, chance ${(100 * chance).toFixed(1)} %): ${options.epochs} epochs × ${stepsPerEpoch} steps of ${options.batchSize} videos`,
    );
    const run = await pretrain({
      objective,
      data,
      epochs: options.epochs,
      optimizer: { kind: 'adam' },
      schedule: ({ totalSteps }) => ({
        kind: 'warmup-cosine',
        learningRate: options.learningRate,
        warmupSteps: Math.min(totalSteps, stepsPerEpoch),
        totalSteps,
        finalLearningRate: options.learningRate * 0.01,
      }),
      seed: options.seed,
      callbacks,
      config,
      ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    });
    log(
      `pretrained ${run.steps} steps in ${run.trainingSeconds.toFixed(1)} s (${run.imagesPerSecond.toFixed(1)} videos/s, ${(run.imagesPerSecond * objective.viewsPerImage).toFixed(0)} frames/s)`,
    );
    await saveModule(encoder, join(out, 'encoder'));

    const evaluationOptions = { batches: options.evaluationBatches, batchSize: options.batchSize, seed: options.seed };
    const orderAccuracy = orderAccuracyOn(task, encoder, head, testSequences, evaluationOptions);
    const trainOrderAccuracy = orderAccuracyOn(task, encoder, head, trainSequences, evaluationOptions);
    log(
      `order accuracy: held-out ${(100 * orderAccuracy).toFixed(1)} %, training videos ${(100 * trainOrderAccuracy).toFixed(1)} %, chance ${(100 * chance).toFixed(1)} %`,
    );

    const probeTrain = probeFrames(trainSequences, labels(trainLoaded.files), options.probeFrames);
    const probeTest = probeFrames(testSequences, labels(testLoaded.files), options.probeFrames);
    log(
      `downstream probe: which of the ${FASHION_MNIST_CLASSES.length} Fashion-MNIST classes is in a single frame (${probeTrain.count} training frames, ${probeTest.count} held-out frames)`,
    );
    const evaluation = evaluateEncoder(encoder, {
      train: probeTrain,
      test: probeTest,
      classes: FASHION_MNIST_CLASSES.length,
      knnK: 20,
      seed: options.seed,
      log,
      ...(options.probeEpochs === undefined ? {} : { probeEpochs: options.probeEpochs }),
    });
    const row = (name: string) => evaluation.find((r) => r.features === name) as EvaluationRow;
    const wallSeconds = (performance.now() - started) / 1000;
    const reportPath = await writeReport(out, {
      title: `selfsup ${task.id} on bouncing Fashion-MNIST videos`,
      history: run.history,
      evaluation,
      summary: {
        task: `${task.id} (${classes} classes)`,
        'order accuracy, held-out videos': `${(100 * orderAccuracy).toFixed(1)} % (chance ${(100 * chance).toFixed(1)} %)`,
        'order accuracy, training videos': `${(100 * trainOrderAccuracy).toFixed(1)} %`,
        videos: `${trainSequences.count} training, ${testSequences.count} held out (${skipped.length} skipped)`,
        ffmpeg: `${tools.ffmpeg.version} (${tools.ffmpeg.source})`,
        backend: `${backend.name} (${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
        'pretraining steps': `${run.steps} (${run.epochs} epochs × ${stepsPerEpoch})`,
        'pretraining seconds': run.trainingSeconds.toFixed(1),
        'wall seconds': wallSeconds.toFixed(1),
      },
      config,
    });
    return {
      backend,
      evaluation,
      result: {
        task: task.id,
        epochs: run.epochs,
        steps: run.steps,
        orderAccuracy,
        trainOrderAccuracy,
        orderChance: chance,
        orderClasses: classes,
        linearProbeAccuracy: row('pretrained').linearProbeAccuracy,
        knnAccuracy: row('pretrained').knnAccuracy,
        randomInitLinearProbeAccuracy: row('random-init').linearProbeAccuracy,
        randomInitKnnAccuracy: row('random-init').knnAccuracy,
        rawPixelsLinearProbeAccuracy: row('raw-pixels').linearProbeAccuracy,
        rawPixelsKnnAccuracy: row('raw-pixels').knnAccuracy,
        trainVideos: trainSequences.count,
        testVideos: testSequences.count,
        skippedVideos: skipped.length,
        probeTrainFrames: probeTrain.count,
        probeTestFrames: probeTest.count,
        generateSeconds: videos.seconds,
        decodeSeconds,
        sequencesPerSecond: run.imagesPerSecond,
        pretrainSeconds: run.trainingSeconds,
        wallSeconds,
        reportPath,
        backend: backend.name,
        ffmpeg: `${tools.ffmpeg.version} (${tools.ffmpeg.source})`,
      },
    };
  } finally {
    objective.dispose();
    encoder.dispose();
  }
}
