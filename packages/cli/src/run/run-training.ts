import { join, resolve } from 'node:path';
import { augmentationPreview, smallImageSizeWarning, smallSourceImagesWarning } from '@selfsup/augment';
import type { BackendRequest } from '@selfsup/backend';
import { type LabeledImages, readLabeledTrainTest } from '@selfsup/data';
import { saveModule } from '@selfsup/models';
import { readLabeledTextTrainTest, textEncoderProbe } from '@selfsup/text';
import {
  type ConfiguredObjective,
  type ExperimentContext,
  ExperimentError,
  type ExperimentEvaluation,
  type ExperimentResult,
  encoderEvaluation,
  objectiveFromConfig,
  type PreparedExperiment,
  probeEncoder,
  type RunPaths,
  runExperiment,
} from '@selfsup/trainer';
import { scheduleInSteps } from '@selfsup/trainer/declarations';
import { asCliError, CliError } from '../cli-error.js';
import type { RunConfig } from '../config/config-schema.js';
import type { DataKindChoice } from '../config/data-kind.js';
import type { LoadedPlugin } from '../plugins/load-plugins.js';
import type { Registries } from '../registries/registries.js';
import { cliVersion } from '../version.js';
import { clipEncoderOf } from './clip-encoder.js';
import { declaredTextInputs } from './text-task-inputs.js';
import { loadTrainingData, type RunData, type SkippedFile, type TrainingData } from './training-data.js';

/** What `pretrain` and `resume` report (printed as JSON with `--json`, saved as result.json). */
export interface TrainingSummary extends ExperimentResult {
  command: 'pretrain' | 'resume';
  /** How `data.kind` was decided when the config left it out, and why (null: the config set it). */
  dataKind: DataKindChoice | null;
  skippedFiles: SkippedFile[];
  /** Files of the data folder its reader leaves out by their ending (a `notes.txt` among images), never read. */
  ignoredFiles: string[];
  /** Video runs: the frame encoder over whole frame sequences (`loadEncoder(dir)`). */
  clipEncoderPath: string | null;
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

/** Settings `selfsup resume` may give anew: where the run is, how far it goes, which backend runs it. */
const MAY_CHANGE_ON_RESUME = ['out', 'training.maxSteps', 'backend'] as const;

/** What the data makes doubtful: images under 8 px a side, as trained (`--size 1`) or as read (a 1×1 file). */
function dataWarnings(data: RunData): string[] {
  if (data.modality === 'text') return [];
  const warnings = [
    smallImageSizeWarning(data.size),
    data.modality === 'image' ? smallSourceImagesWarning(data.small ?? [], data.size) : undefined,
  ];
  return warnings.filter((warning): warning is string => warning !== undefined);
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

async function imageEvaluationSets(
  config: RunConfig,
  data: TrainingData | undefined,
  inputShape: [number, number, number],
  log: (line: string) => void,
): Promise<{ train: LabeledImages; test: LabeledImages; classes: number } | undefined> {
  const { evaluation } = config;
  const hasLabels = evaluation.labels !== undefined || data?.labeled?.test !== undefined;
  if (!(evaluation.enabled ?? hasLabels)) return undefined;
  if (evaluation.labels !== undefined) {
    const [height, width, channels] = inputShape;
    const sets = await asCliError(
      'data',
      readLabeledTrainTest(
        {
          labels: evaluation.labels,
          testLabels: evaluation.testLabels,
          testFraction: evaluation.testFraction,
          seed: config.seed,
        },
        { size: [height, width], channels: channels as 1 | 3 },
      ),
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

/** The encoder's evaluation for the run's data: labeled images, labeled text, or none (with a hint). */
async function evaluationOf(
  config: RunConfig,
  data: RunData,
  built: ConfiguredObjective<RunConfig>,
  log: (line: string) => void,
): Promise<ExperimentEvaluation | undefined> {
  const { evaluation } = config;
  const common = {
    knnK: evaluation.knnK,
    seed: config.seed,
    seeds: evaluation.seeds,
    log,
    ...(evaluation.probeEpochs === undefined ? {} : { probeEpochs: evaluation.probeEpochs }),
  };
  if (data.modality === 'text') {
    // Labeled text is read before training: a bad path fails now, not after the run.
    if (config.data.kind !== 'text-corpus' || evaluation.labels === undefined || evaluation.enabled === false) {
      log(
        'no evaluation: give --labels <class folders of text files | .jsonl of {text, label}> to probe the encoder on labeled text',
      );
      return undefined;
    }
    const sets = await asCliError(
      'data',
      readLabeledTextTrainTest({
        labels: evaluation.labels,
        testLabels: evaluation.testLabels,
        testFraction: evaluation.testFraction,
        seed: config.seed,
        documents: config.data.documents,
        textField: config.data.field,
      }),
    );
    log(`evaluation data ${sets.description}`);
    const { tokenizer, sequenceLength } = data;
    return {
      description: 'linear probe and kNN on frozen features, beside the random-init and bag-of-words floors',
      evaluate: () =>
        probeEncoder(
          built.encoder,
          (randomInit) =>
            textEncoderProbe(built.encoder, { tokenizer, sequenceLength, ...sets, ...(randomInit && { randomInit }) }),
          { ...common, classes: sets.classes, floors: evaluation.floors },
        ),
    };
  }
  const sets = await imageEvaluationSets(config, data.modality === 'image' ? data : undefined, built.inputShape, log);
  if (sets === undefined) {
    if (data.modality === 'video') {
      log('no evaluation: give --labels <class folders|csv|idx> to probe the frame encoder on labeled images');
    }
    return undefined;
  }
  return encoderEvaluation(built.encoder, { ...common, ...sets, floors: evaluation.floors });
}

/** Loads the data and builds the objective a config describes, for {@link runTraining}. */
async function prepareRun(
  options: TrainingRunOptions,
  config: RunConfig,
  context: ExperimentContext,
): Promise<PreparedExperiment> {
  const { log, paths } = context;
  const task = config.task;
  // A resumed text run keeps the vocabulary it started with: the tokenizer saved in the run.
  const data: RunData = await loadTrainingData(
    config.data,
    config.seed,
    log,
    task === undefined
      ? undefined
      : {
          taskId: task.id,
          taskOptions: task.options,
          inputs: declaredTextInputs(options.registries, task.id, task.options),
          savedTokenizer: context.resume ? paths.tokenizer : undefined,
        },
  );
  log(data.description);
  const built = await objectiveFromConfig(config, options.registries, data);
  const dispose = () => {
    built.objective.dispose();
    built.encoder.dispose();
  };
  try {
    const evaluation = await evaluationOf(config, data, built, log);
    if (data.modality === 'text' && built.config.data.kind === 'text-corpus' && !context.dryRun) {
      // The recorded config names the saved tokenizer, so `pretrain --config` reuses it rather than
      // training it again (which, for the same corpus and settings, gives the same tokenizer).
      if (data.tokenizerSource !== paths.tokenizer) await data.tokenizer.save(paths.tokenizer);
      built.config.data.tokenizer.path = paths.tokenizer;
    }
    const skipped = data.skipped;
    const { report } = config;
    const preview =
      report.preview && built.previewPipeline !== undefined && data.modality === 'image'
        ? async (path: string) => {
            const images = await data.sample(report.previewImages);
            try {
              await augmentationPreview(images, built.previewPipeline as NonNullable<typeof built.previewPipeline>, {
                views: 6,
                seed: config.seed,
                out: path,
              });
            } finally {
              images.dispose();
            }
          }
        : undefined;
    return {
      objective: built.objective,
      encoder: built.encoder,
      data: data.dataset,
      examples: examplesOf(data),
      exampleCount: data.count,
      dataDescription: data.description,
      dataFingerprint: data.fingerprint,
      ...(data.dataFiles === undefined ? {} : { dataFiles: data.dataFiles }),
      warnings: dataWarnings(data),
      config: { ...built.config, out: paths.dir },
      details: { cli: cliVersion(), plugins: options.plugins, skipped, ignored: data.ignored },
      resultFields: (result) => ({
        command: options.command,
        dataKind: options.dataKind ?? null,
        skippedFiles: skipped,
        ignoredFiles: data.ignored,
        clipEncoderPath: result.artifacts.clipEncoder ?? null,
      }),
      ...(evaluation === undefined ? {} : { evaluation }),
      ...(preview === undefined ? {} : { preview }),
      ...(data.modality === 'video'
        ? {
            saveArtifacts: async (runFiles: RunPaths) => {
              // Not disposed: it owns nothing but the frame encoder, which the run disposes.
              await saveModule(clipEncoderOf(built.encoder, data.frames), runFiles.clipEncoder);
              return { clipEncoder: runFiles.clipEncoder };
            },
          }
        : {}),
      reportSummary: {
        'skipped files': skipped.length === 0 ? 'none' : skipped.map((f) => `${f.path} (${f.reason})`).join('; '),
        'ignored files (not images by name)': data.ignored.length === 0 ? 'none' : data.ignored.join('; '),
        ...(data.modality === 'text'
          ? { tokenizer: `${data.tokenizer.vocabSize} tokens (${data.tokenizerSource})` }
          : {}),
        model: `${built.config.model.kind} on ${built.inputDescription}`,
        'reproduce with': `selfsup pretrain --config ${paths.config} --out <new dir>`,
      },
      dispose,
    };
  } catch (error) {
    dispose();
    throw error;
  }
}

/**
 * Pretrains (or resumes) the run a config describes, through the trainer's `runExperiment` (the
 * directory lock, resume checks, floors first, checkpoints, evaluation, report and result.json):
 * this face loads and scans the data, builds and trial-steps the objective, and says which
 * evaluation the data allows.
 *
 * @throws CliError for bad data, a run directory already in use, nothing to resume, a diverged run.
 */
export async function runTraining(options: TrainingRunOptions): Promise<TrainingSummary> {
  const config: RunConfig = { ...options.config, out: runDirectoryOf(options.config) };
  const dir = config.out as string;
  const objective =
    config.method === undefined
      ? { kind: 'task' as const, id: (config.task as NonNullable<RunConfig['task']>).id }
      : { kind: 'method' as const, id: config.method.id };
  try {
    // `prepareRun` adds the CLI's fields (`resultFields`) to the result.
    return (await runExperiment(
      {
        dir,
        resume: options.command === 'resume',
        ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
        title: `selfsup ${objective.kind} ${objective.id}`,
        objective,
        backend: { backend: config.backend.kind as BackendRequest, wasmThreads: config.backend.wasmThreads },
        training: {
          epochs: config.training.epochs,
          optimizer: { ...config.optimizer },
          schedule: (steps) => scheduleInSteps(config.schedule, steps),
          seed: config.seed,
          ...(config.training.gradientClipNorm === undefined
            ? {}
            : { gradientClipNorm: config.training.gradientClipNorm }),
          ...(config.training.maxSteps === undefined ? {} : { maxSteps: config.training.maxSteps }),
          metricsEverySteps: config.training.metricsEverySteps,
          checkpoint: { everySteps: config.checkpoints.everySteps, keep: config.checkpoints.keep },
        },
        config,
        mayChangeOnResume: MAY_CHANGE_ON_RESUME,
        resumeHint: `\`selfsup resume ${dir}\``,
        prepare: (context) => prepareRun(options, config, context),
      },
      {
        log: options.log,
        ...(options.quiet === undefined ? {} : { quiet: options.quiet }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
    )) as TrainingSummary;
  } catch (error) {
    if (error instanceof ExperimentError) throw new CliError(error.reason, error.message, { cause: error });
    throw error;
  }
}
