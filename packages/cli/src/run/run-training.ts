import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { augmentationPreview } from '@selfsup/augment';
import { type BackendInfo, type BackendRequest, initBackend } from '@selfsup/backend';
import type { LabeledImages } from '@selfsup/data';
import { saveModule } from '@selfsup/models';
import {
  type EvaluationRow,
  evaluateEncoder,
  latestCheckpoint,
  metricsLogCallback,
  type OptimizerConfig,
  type PretrainResult,
  pretrain,
  progressCallback,
  type ScheduleConfig,
  type TrainingCallback,
  writeReport,
} from '@selfsup/trainer';
import { CliError } from '../cli-error.js';
import type { RunConfig } from '../config/config-schema.js';
import type { DataKindChoice } from '../config/data-kind.js';
import type { LoadedPlugin } from '../plugins/load-plugins.js';
import type { Registries } from '../registries/registries.js';
import { cliVersion } from '../version.js';
import { buildRun, buildTextRun, buildVideoRun } from './build-objective.js';
import { clipEncoderOf } from './clip-encoder.js';
import { evaluationSets } from './evaluation-sets.js';
import { runPaths } from './run-paths.js';
import { evaluateTextEncoder, textEvaluationSets } from './text-evaluation.js';
import { textTaskInputs } from './text-task-inputs.js';
import { loadTrainingData, type RunData, type SkippedFile, type TrainingData } from './training-data.js';

/** What `pretrain` and `resume` report (printed as JSON with `--json`, saved as result.json). */
export interface TrainingSummary {
  command: 'pretrain' | 'resume';
  out: string;
  /** `method` or `task`, and its id. */
  objective: { kind: 'method' | 'task'; id: string };
  dryRun: boolean;
  interrupted: boolean;
  steps: number;
  epochs: number;
  stepsPerEpoch: number;
  resumedFromStep: number | null;
  firstLoss: number | null;
  lastLoss: number | null;
  /** Linear-probe and kNN accuracy of the encoder and its floors (null: no evaluation). */
  linearProbeAccuracy: number | null;
  knnAccuracy: number | null;
  randomInitLinearProbeAccuracy: number | null;
  rawPixelsLinearProbeAccuracy: number | null;
  evaluation: EvaluationRow[];
  imagesPerSecond: number;
  pretrainSeconds: number;
  wallSeconds: number;
  backend: string;
  /** Training examples per epoch: images, token sequences (or segment samples) for text, frame sequences for video. */
  trainImages: number;
  /** What those examples are, in words: `images`, `sequences`, `samples`, `frame sequences`. */
  examples: string;
  /** How `data.kind` was decided when the config left it out, and why (null: the config set it). */
  dataKind: DataKindChoice | null;
  skippedFiles: SkippedFile[];
  /** Files of the data folder its reader leaves out by their ending (a `notes.txt` among images), never read. */
  ignoredFiles: string[];
  checkpoint: string | null;
  encoderPath: string | null;
  /** Video runs: the frame encoder over whole frame sequences (`loadEncoder(dir)`). */
  clipEncoderPath: string | null;
  reportPath: string | null;
  configPath: string;
}

/** How {@link runTraining} runs. */
export interface TrainingRunOptions {
  command: 'pretrain' | 'resume';
  config: RunConfig;
  registries: Registries;
  plugins: LoadedPlugin[];
  /** How `data.kind` was decided (`loadRunConfig`'s `dataKind`), for the summary. */
  dataKind?: DataKindChoice | undefined;
  /** Validate, load the data, build and trial-step the model; no training, nothing written. */
  dryRun?: boolean;
  quiet?: boolean;
  /** Human-readable lines (stderr). */
  log: (line: string) => void;
  /** Aborting it stops training after the current step, with a checkpoint. */
  signal?: AbortSignal;
}

/** Facts about a run, kept beside its config (run.json). */
interface RunRecord {
  cli: string;
  started: string;
  resumed: string[];
  plugins: LoadedPlugin[];
  data: { description: string; images: number; fingerprint: string; skipped: SkippedFile[]; ignored: string[] };
  stepsPerEpoch: number;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const staging = `${path}.tmp-${process.pid}`;
  await writeFile(staging, `${JSON.stringify(value, null, 2)}\n`);
  await rename(staging, path);
}

function optimizerOf(config: RunConfig): OptimizerConfig {
  return { ...config.optimizer } as OptimizerConfig;
}

function scheduleOf(config: RunConfig) {
  const schedule = config.schedule;
  return ({ stepsPerEpoch, totalSteps }: { stepsPerEpoch: number; totalSteps: number }): ScheduleConfig => {
    switch (schedule.kind) {
      case 'constant':
        return { kind: 'constant', learningRate: schedule.learningRate };
      case 'step':
        return {
          kind: 'step',
          learningRate: schedule.learningRate,
          milestones: schedule.milestoneEpochs.map((epoch) => epoch * stepsPerEpoch),
          gamma: schedule.gamma,
        };
      default:
        return {
          kind: 'warmup-cosine',
          learningRate: schedule.learningRate,
          warmupSteps: Math.min(totalSteps, Math.round(schedule.warmupEpochs * stepsPerEpoch)),
          totalSteps,
          finalLearningRate: schedule.learningRate * schedule.finalFraction,
        };
    }
  };
}

/** Keeps the metric lines of steps up to `step` (a resumed run logs the later ones again). */
async function truncateMetrics(path: string, step: number): Promise<void> {
  if (!existsSync(path)) return;
  const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const kept = lines.filter((line) => {
    try {
      return (JSON.parse(line) as { step: number }).step <= step;
    } catch {
      return false;
    }
  });
  await writeFile(path, kept.length === 0 ? '' : `${kept.join('\n')}\n`);
}

/** What a run's training examples are, in words. */
function examplesOf(data: RunData): string {
  if (data.modality === 'image') return 'images';
  if (data.modality === 'video') return 'frame sequences';
  return data.sampleShape.length === 1 ? 'sequences' : 'samples';
}

/** The run directory of a config: `out`, or `runs/<method or task>`. */
export function runDirectoryOf(config: RunConfig): string {
  return resolve(config.out ?? join('runs', config.method?.id ?? config.task?.id ?? 'run'));
}

async function startBackend(config: RunConfig, log: (line: string) => void): Promise<BackendInfo> {
  try {
    return await initBackend({
      backend: config.backend.kind as BackendRequest,
      wasmThreads: config.backend.wasmThreads,
      log,
    });
  } catch (error) {
    throw new CliError('config', `backend.kind: ${(error as Error).message}`);
  }
}

async function evaluationData(
  config: RunConfig,
  data: TrainingData | undefined,
  inputShape: [number, number, number],
  log: (line: string) => void,
): Promise<{ train: LabeledImages; test: LabeledImages; classes: number } | undefined> {
  const { evaluation } = config;
  const hasLabels = evaluation.labels !== undefined || data?.labeled?.test !== undefined;
  if (!(evaluation.enabled ?? hasLabels)) return undefined;
  if (evaluation.labels !== undefined) {
    const sets = await evaluationSets(
      {
        labels: evaluation.labels,
        testLabels: evaluation.testLabels,
        testFraction: evaluation.testFraction,
        seed: config.seed,
      },
      inputShape,
    );
    log(`evaluation data ${sets.description}`);
    for (const file of sets.skipped) log(`evaluation: skipped ${file.path}: ${file.reason}`);
    return sets;
  }
  const labeled = data?.labeled;
  if (labeled?.test === undefined) return undefined;
  if (labeled.train.height !== inputShape[0] || labeled.train.width !== inputShape[1] || inputShape[2] !== 1) {
    log(
      `evaluation skipped: the encoder takes ${inputShape.join('×')} inputs, the IDX images are ${labeled.train.height}×${labeled.train.width}×1`,
    );
    return undefined;
  }
  return {
    train: labeled.train,
    test: labeled.test,
    classes: Math.max(...labeled.train.labels, ...labeled.test.labels) + 1,
  };
}

/**
 * Pretrains (or resumes) the run a config describes: loads and scans the data, builds and
 * trial-steps the objective, writes the resolved config, trains with checkpoints, and at the end
 * saves the encoder, an augmentation preview, the evaluation beside its floors and the report.
 *
 * @throws CliError for bad data, a run directory already in use, nothing to resume, a diverged run.
 */
export async function runTraining(options: TrainingRunOptions): Promise<TrainingSummary> {
  const started = performance.now();
  const { log, registries } = options;
  const config: RunConfig = { ...options.config, out: runDirectoryOf(options.config) };
  const paths = runPaths(config.out as string);
  const resume = options.command === 'resume';
  const existing = await latestCheckpoint(paths.checkpoints);
  if (!resume && !options.dryRun && (existing !== undefined || existsSync(paths.result))) {
    throw new CliError(
      'run',
      `${paths.dir} already holds a run${existing === undefined ? '' : ` (checkpoint ${existing})`}; continue it with \`selfsup resume ${paths.dir}\`, or choose another --out`,
    );
  }
  if (resume && existing === undefined) {
    throw new CliError(
      'run',
      `${paths.dir} has no complete checkpoint to resume; start it again with \`selfsup pretrain --config ${paths.config}\``,
    );
  }

  const backend = await startBackend(config, log);
  // A resumed text run keeps the vocabulary it started with: the tokenizer saved in the run.
  const task = config.task;
  const data: RunData = await loadTrainingData(
    config.data,
    config.seed,
    log,
    task === undefined
      ? undefined
      : {
          taskId: task.id,
          taskOptions: task.options,
          inputs: textTaskInputs(task.id),
          savedTokenizer: resume ? paths.tokenizer : undefined,
        },
  );
  log(data.description);
  let record: RunRecord | undefined;
  if (resume && existsSync(paths.run)) {
    record = JSON.parse(await readFile(paths.run, 'utf8')) as RunRecord;
    if (record.data.fingerprint !== data.fingerprint) {
      throw new CliError(
        'data',
        `data.path: the data changed since the run started (${record.data.images} images then, ${data.count} now); resuming would not continue the same run — restore the data, or start a new run`,
      );
    }
  }

  const built =
    data.modality === 'text'
      ? await buildTextRun(config, registries, data)
      : data.modality === 'video'
        ? await buildVideoRun(config, registries, data)
        : await buildRun(config, registries, data);
  const examples = examplesOf(data);
  const objectiveRef =
    config.method === undefined
      ? { kind: 'task' as const, id: (config.task as NonNullable<RunConfig['task']>).id }
      : { kind: 'method' as const, id: config.method.id };
  const stepsPerEpoch = data.dataset.size as number;
  const summary: TrainingSummary = {
    command: options.command,
    out: paths.dir,
    objective: objectiveRef,
    dryRun: options.dryRun === true,
    interrupted: false,
    steps: 0,
    epochs: 0,
    stepsPerEpoch,
    resumedFromStep: null,
    firstLoss: null,
    lastLoss: null,
    linearProbeAccuracy: null,
    knnAccuracy: null,
    randomInitLinearProbeAccuracy: null,
    rawPixelsLinearProbeAccuracy: null,
    evaluation: [],
    imagesPerSecond: 0,
    pretrainSeconds: 0,
    wallSeconds: 0,
    backend: backend.name,
    trainImages: data.count,
    examples: examplesOf(data),
    dataKind: options.dataKind ?? null,
    skippedFiles: data.modality === 'text' ? [] : data.skipped,
    ignoredFiles: data.ignored,
    checkpoint: existing ?? null,
    encoderPath: null,
    clipEncoderPath: null,
    reportPath: null,
    configPath: paths.config,
  };
  try {
    // Labeled text is read before training: a bad path fails now, not after the run.
    let textSets: Awaited<ReturnType<typeof textEvaluationSets>> | undefined;
    const { evaluation } = config;
    if (config.data.kind === 'text-corpus' && evaluation.labels !== undefined && evaluation.enabled !== false) {
      textSets = await textEvaluationSets({
        labels: evaluation.labels,
        testLabels: evaluation.testLabels,
        testFraction: evaluation.testFraction,
        seed: config.seed,
        documents: config.data.documents,
        textField: config.data.field,
      });
      log(`evaluation data ${textSets.description}`);
    }
    if (options.dryRun) {
      log(
        `dry run: ${objectiveRef.kind} '${objectiveRef.id}' on ${built.inputDescription}, ${stepsPerEpoch} steps per epoch; config and data are usable`,
      );
      summary.wallSeconds = (performance.now() - started) / 1000;
      return summary;
    }
    if (data.modality === 'text' && built.config.data.kind === 'text-corpus') {
      // Tokenizer training breaks frequency ties in hash order (huggingface/tokenizers#1794): the
      // recorded config names the saved tokenizer, so `pretrain --config` reproduces the run exactly.
      if (data.tokenizerSource !== paths.tokenizer) {
        await mkdir(paths.dir, { recursive: true });
        await data.tokenizer.save(paths.tokenizer);
      }
      built.config.data.tokenizer.path = paths.tokenizer;
    }
    await writeJson(paths.config, built.config);
    record = {
      cli: cliVersion(),
      started: record?.started ?? new Date().toISOString(),
      resumed: resume ? [...(record?.resumed ?? []), new Date().toISOString()] : [],
      plugins: options.plugins,
      data: {
        description: data.description,
        images: data.count,
        fingerprint: data.fingerprint,
        skipped: summary.skippedFiles,
        ignored: summary.ignoredFiles,
      },
      stepsPerEpoch,
    };
    await writeJson(paths.run, record);
    if (resume && existing !== undefined) {
      const step = Number(/step-(\d+)$/.exec(existing)?.[1] ?? 0);
      await truncateMetrics(paths.metrics, step);
    }

    const callbacks: TrainingCallback[] = [metricsLogCallback(paths.metrics)];
    if (!options.quiet) callbacks.push(progressCallback({ everySteps: Math.max(1, Math.floor(stepsPerEpoch / 4)) }));
    let run: PretrainResult;
    try {
      run = await pretrain({
        objective: built.objective,
        data: data.dataset,
        epochs: config.training.epochs,
        optimizer: optimizerOf(config),
        schedule: scheduleOf(config),
        seed: config.seed,
        ...(config.training.gradientClipNorm === undefined
          ? {}
          : { gradientClipNorm: config.training.gradientClipNorm }),
        checkpoint: {
          dir: paths.checkpoints,
          everySteps: config.checkpoints.everySteps,
          keep: config.checkpoints.keep,
        },
        resume,
        callbacks,
        ...(config.training.maxSteps === undefined ? {} : { maxSteps: config.training.maxSteps }),
        metricsEverySteps: config.training.metricsEverySteps,
        config: built.config,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      throw new CliError('failed', (error as Error).message, { cause: error });
    }
    Object.assign(summary, {
      interrupted: run.interrupted,
      steps: run.steps,
      epochs: run.epochs,
      resumedFromStep: run.resumedFromStep ?? null,
      firstLoss: run.history[0]?.loss ?? null,
      lastLoss: run.history.at(-1)?.loss ?? null,
      imagesPerSecond: run.imagesPerSecond,
      pretrainSeconds: run.trainingSeconds,
      checkpoint: run.lastCheckpoint ?? null,
    });
    log(
      `${run.interrupted ? 'interrupted after' : 'trained'} ${run.steps} steps (${run.epochs} epochs) in ${run.trainingSeconds.toFixed(1)} s, ${run.imagesPerSecond.toFixed(0)} ${examples}/s${run.resumedFromStep === undefined ? '' : ` (resumed from step ${run.resumedFromStep})`}`,
    );
    if (run.interrupted) {
      summary.wallSeconds = (performance.now() - started) / 1000;
      return summary;
    }

    await saveModule(built.encoder, paths.encoder);
    summary.encoderPath = paths.encoder;
    if (data.modality === 'video') {
      // Not disposed: it owns nothing but the frame encoder, which is disposed below.
      await saveModule(clipEncoderOf(built.encoder, data.frames), paths.clipEncoder);
      summary.clipEncoderPath = paths.clipEncoder;
    }
    let previewImage: string | undefined;
    if (config.report.preview && built.previewPipeline !== undefined && data.modality === 'image') {
      const images = await data.sample(config.report.previewImages);
      try {
        await augmentationPreview(images, built.previewPipeline, { views: 6, seed: config.seed, out: paths.preview });
        previewImage = 'augmentations.png';
      } catch (error) {
        log(`augmentation preview skipped: ${(error as Error).message}`);
      } finally {
        images.dispose();
      }
    }
    const sets =
      data.modality === 'text'
        ? undefined
        : await evaluationData(config, data.modality === 'image' ? data : undefined, built.inputShape, log);
    if (data.modality === 'video' && sets === undefined) {
      log('no evaluation: give --labels <class folders|csv|idx> to probe the frame encoder on labeled images');
    }
    if (data.modality === 'text') {
      if (textSets === undefined) {
        log(
          'no evaluation: give --labels <class folders of text files | .jsonl of {text, label}> to probe the encoder on labeled text',
        );
      } else {
        log('evaluating: linear probe and kNN on frozen features, beside the random-init and bag-of-words floors');
        summary.evaluation = await evaluateTextEncoder(built.encoder, {
          tokenizer: data.tokenizer,
          sequenceLength: data.sequenceLength,
          train: textSets.train,
          test: textSets.test,
          classes: textSets.classes,
          floors: evaluation.floors,
          knnK: evaluation.knnK,
          seed: config.seed,
          log,
          ...(evaluation.probeEpochs === undefined ? {} : { probeEpochs: evaluation.probeEpochs }),
        });
      }
    }
    if (sets !== undefined) {
      log('evaluating: linear probe and kNN on frozen features, beside the random-init and raw-pixel floors');
      summary.evaluation = evaluateEncoder(built.encoder, {
        ...sets,
        floors: config.evaluation.floors,
        knnK: config.evaluation.knnK,
        seed: config.seed,
        log,
        ...(config.evaluation.probeEpochs === undefined ? {} : { probeEpochs: config.evaluation.probeEpochs }),
      });
    }
    if (summary.evaluation.length > 0) {
      const row = (name: string) => summary.evaluation.find((r) => r.features === name);
      summary.linearProbeAccuracy = row('pretrained')?.linearProbeAccuracy ?? null;
      summary.knnAccuracy = row('pretrained')?.knnAccuracy ?? null;
      summary.randomInitLinearProbeAccuracy = row('random-init')?.linearProbeAccuracy ?? null;
      summary.rawPixelsLinearProbeAccuracy = row('raw-pixels')?.linearProbeAccuracy ?? null;
    }
    summary.wallSeconds = (performance.now() - started) / 1000;
    summary.reportPath = await writeReport(paths.dir, {
      title: `selfsup ${objectiveRef.kind} ${objectiveRef.id}`,
      history: run.history,
      evaluation: summary.evaluation,
      ...(previewImage === undefined ? {} : { previewImage }),
      summary: {
        [objectiveRef.kind]: objectiveRef.id,
        data: data.description,
        'skipped files':
          summary.skippedFiles.length === 0
            ? 'none'
            : summary.skippedFiles.map((f) => `${f.path} (${f.reason})`).join('; '),
        'ignored files (not images by name)':
          summary.ignoredFiles.length === 0 ? 'none' : summary.ignoredFiles.join('; '),
        ...(data.modality === 'text'
          ? { tokenizer: `${data.tokenizer.vocabSize} tokens (${data.tokenizerSource})` }
          : {}),
        model: `${built.config.model.kind} on ${built.inputDescription}`,
        backend: `${backend.name} (${backend.provider}, ${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
        'pretraining steps': `${run.steps} (${run.epochs} epochs × ${stepsPerEpoch})`,
        [`${examples} / s`]: run.imagesPerSecond.toFixed(1),
        'pretraining seconds': run.trainingSeconds.toFixed(1),
        'wall seconds': summary.wallSeconds.toFixed(1),
        'reproduce with': `selfsup pretrain --config ${paths.config} --out <new dir>`,
      },
      config: built.config,
    });
    await writeJson(paths.result, summary);
    return summary;
  } finally {
    built.objective.dispose();
    built.encoder.dispose();
  }
}
