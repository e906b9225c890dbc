import { type BackendInfo, type InitBackendOptions, initBackend, type Tensor } from '@selfsup/backend';
import type { Dataset } from '@selfsup/data';
import { type Module, saveModule } from '@selfsup/models';
import { metricsLogCallback, type ProgressStream, progressCallback, type TrainingCallback } from '../callbacks.js';
import { etaCallback } from '../eta-callback.js';
import type { EvaluationRow } from '../evaluation/evaluate-encoder.js';
import { floorSeparationWarnings } from '../evaluation/floor-separation.js';
import type { OptimizerConfig } from '../optimizers/create-optimizer.js';
import { type PretrainOptions, type PretrainResult, pretrain } from '../pretrain.js';
import { writeReport } from '../report.js';
import { collapseWatchCallback } from '../representation-collapse.js';
import type { TrainingObjective } from '../training-objective.js';
import { configDifferences } from './config-differences.js';
import { ExperimentError } from './experiment-error.js';
import { checkResumeCheckpoint } from './resume-checkpoint.js';
import { type OpenRun, openRunDirectory } from './run-directory.js';
import type { RunPaths } from './run-paths.js';
import { dataFileChanges, type RunRecord, readDataFiles, writeJsonAtomically } from './run-record.js';

/** How an experiment pretrains (the parts of `pretrain`'s options that a config states). */
export interface ExperimentTraining {
  epochs: number;
  optimizer: OptimizerConfig;
  schedule: PretrainOptions['schedule'];
  seed: number;
  gradientClipNorm?: number;
  /** Stop after this many optimizer steps in total (the schedule still spans `epochs`). */
  maxSteps?: number;
  metricsEverySteps?: number;
  /** Checkpoint every this many steps (and at each epoch's end), keeping the newest `keep` (default 100 and 3). */
  checkpoint?: { everySteps?: number; keep?: number };
}

/** What {@link runExperiment} hands to `prepare`, once the directory is locked and checked. */
export interface ExperimentContext {
  paths: RunPaths;
  resume: boolean;
  /** The step a resume continues from (0 when starting). */
  checkpointStep: number;
  /** The run's record so far (a resume), e.g. to reuse what it recorded. */
  record: RunRecord | undefined;
  backend: BackendInfo;
  dryRun: boolean;
  log: (line: string) => void;
}

/** An evaluation of the encoder: floors that do not depend on pretraining, then the encoder itself. */
export interface ExperimentEvaluation {
  /** What is evaluated, for the log (e.g. `linear probe and kNN on frozen features, beside the random-init and raw-pixel floors`). */
  description: string;
  /**
   * The floors (the same architecture randomly initialized, raw inputs, …). They run before
   * pretraining: the bar is known before the long part, and their time makes the run's estimate.
   */
  floors?(): EvaluationRow[] | Promise<EvaluationRow[]>;
  /** The rows of the pretrained encoder beside the floors (given those `floors()` returned). */
  evaluate(floors: readonly EvaluationRow[] | undefined): EvaluationRow[] | Promise<EvaluationRow[]>;
}

/** The parts of a run that need the data and a backend: made by the experiment's `prepare`. */
export interface PreparedExperiment {
  objective: TrainingObjective;
  /** Saved as `<run>/encoder` at the end (`loadEncoder`). */
  encoder: Module;
  /** Raw batches, deterministic per epoch, of a known size (steps per epoch). */
  data: Dataset<Tensor>;
  /** What one training example is, in words, plural: `images`, `sequences`, `frame sequences`. */
  examples: string;
  /** Training examples per epoch. */
  exampleCount: number;
  /** The data, in words, for the log, the record and the report. */
  dataDescription: string;
  /** Identifies the data; a resume whose data has another fingerprint is refused. */
  dataFingerprint?: string;
  /**
   * Each data file's content digest (path → digest, e.g. its SHA-256), kept in the run as
   * `data-files.json` when it starts: a resume whose files differ — one edited in place included,
   * which keeps the count and the names — is refused, naming the files changed, added and removed.
   */
  dataFiles?: Readonly<Record<string, string>>;
  /** The config to save, when preparing completed it (e.g. the path of a trained tokenizer). */
  config?: unknown;
  /** Face-specific facts kept in `run.json` (`details`). */
  details?: Record<string, unknown>;
  /**
   * What the data or config make doubtful but not wrong (images under 8 px a side, …): each said
   * once when the run starts (`warning: …`) and kept in the result's and the report's warnings.
   */
  warnings?: readonly string[];
  evaluation?: ExperimentEvaluation;
  /**
   * Called once pretraining has finished (not when interrupted), before the encoder is saved,
   * evaluated and measured: e.g. to copy the weights a task trained on tiles into the full-size
   * `encoder` (`taskEncoders(…).copyTrainedWeights`).
   */
  afterPretraining?(): void | Promise<void>;
  /** Further figures measured after pretraining (a pretext task's held-out accuracy, …), kept in the result as `measures`. */
  measure?(): Promise<Record<string, number | string | null>>;
  /** Writes a PNG preview of the augmentations to `path` (skipped, with a log line, when it fails). */
  preview?(path: string): Promise<void>;
  /** Saves more than the encoder (a clip encoder, a tokenizer): name → path. */
  saveArtifacts?(paths: RunPaths): Promise<Record<string, string>>;
  /** More rows for the report's summary (model, tokenizer, how to reproduce). */
  reportSummary?: Record<string, string>;
  /**
   * Face-specific fields added to the result (`result.json`, the JSON line and the returned value),
   * made from the result so far: e.g. the CLI's skipped files.
   */
  resultFields?(result: ExperimentResult): Record<string, unknown>;
  /** Frees the tensors of the objective and encoder. */
  dispose(): void;
}

/** A run, described: what {@link runExperiment} needs from a face (the CLI, an app, a page). */
export interface Experiment {
  /** The run directory. */
  dir: string;
  /** Continue the run in `dir` from its newest checkpoint. */
  resume?: boolean;
  /** Check the directory, start the backend, prepare (load the data, build the model); train nothing, write nothing. */
  dryRun?: boolean;
  /** The run in a few words (report title). */
  title: string;
  objective: { kind: 'method' | 'task'; id: string };
  backend?: Omit<InitBackendOptions, 'log'>;
  training: ExperimentTraining;
  /** The resolved config, saved as `config.json`; a resume must agree with it except under `mayChangeOnResume`. */
  config: unknown;
  /** Dotted config paths a resume may change (e.g. `training.maxSteps`, `backend`). */
  mayChangeOnResume?: readonly string[];
  /** How the user continues a run, said when a new run would land on one (e.g. `selfsup resume runs/a`). */
  resumeHint?: string;
  prepare(context: ExperimentContext): Promise<PreparedExperiment>;
}

/** Where a run reports to. */
export interface ExperimentHooks {
  /** Human-readable lines (default `console.error`). */
  log?: (line: string) => void;
  /** No progress lines. */
  quiet?: boolean;
  /** Where progress goes (default: stderr in Node, the console in a browser). */
  progress?: ProgressStream;
  /** Aborting it stops training after the current step, with a checkpoint (`interrupted: true`). */
  signal?: AbortSignal;
  /** More training callbacks. */
  callbacks?: TrainingCallback[];
  /** Receives the result as one JSON line at the end (also saved as `result.json`). */
  resultLine?: (line: string) => void;
}

/** What a run did: saved as `result.json` and printed as the last JSON line. */
export interface ExperimentResult {
  out: string;
  title: string;
  objective: { kind: 'method' | 'task'; id: string };
  dryRun: boolean;
  interrupted: boolean;
  steps: number;
  epochs: number;
  stepsPerEpoch: number;
  resumedFromStep: number | null;
  firstLoss: number | null;
  lastLoss: number | null;
  /**
   * The encoder beside its floors (empty: no evaluation): each row's accuracies with the test-set
   * size (`testCount`) and 95 % Wilson intervals, and the probe's per-seed accuracies and std.
   */
  evaluation: EvaluationRow[];
  linearProbeAccuracy: number | null;
  knnAccuracy: number | null;
  randomInitLinearProbeAccuracy: number | null;
  randomInitKnnAccuracy: number | null;
  rawPixelsLinearProbeAccuracy: number | null;
  rawPixelsKnnAccuracy: number | null;
  /** Figures of the prepared `measure()`. */
  measures: Record<string, number | string | null>;
  data: string;
  examples: string;
  exampleCount: number;
  /** Training examples per second over this process's steps (augmentation + forward + backward + update). */
  examplesPerSecond: number;
  pretrainSeconds: number;
  wallSeconds: number;
  /** The run's first estimate of `wallSeconds`, made after a few steps (null when it ended first). */
  estimatedWallSeconds: number | null;
  backend: string;
  checkpoint: string | null;
  encoderPath: string | null;
  artifacts: Record<string, string>;
  reportPath: string | null;
  configPath: string;
  /**
   * What the run should not have done but finished anyway, in words: a representation collapse
   * (the embeddings' spread near 0), a test split too small to separate the encoder from its
   * floors (their 95 % intervals overlap). Also logged and shown in the report.
   */
  warnings: string[];
}

function rowValue(rows: EvaluationRow[], features: string, key: 'linearProbeAccuracy' | 'knnAccuracy'): number | null {
  return rows.find((row) => row.features === features)?.[key] ?? null;
}

async function startBackend(options: Experiment['backend'], log: (line: string) => void): Promise<BackendInfo> {
  try {
    return await initBackend({ ...options, log });
  } catch (error) {
    throw new ExperimentError('config', `backend: ${(error as Error).message}`, { cause: error });
  }
}

/** `3 files changed (a.png, b.png, c.png), 1 added (d.png)`: what a resume's data changes, in words. */
function describeFileChanges(changes: ReturnType<typeof dataFileChanges>): string {
  const part = (paths: string[], what: string) =>
    paths.length === 0
      ? []
      : [
          `${paths.length} file${paths.length === 1 ? '' : 's'} ${what} (${paths.slice(0, 5).join(', ')}${paths.length > 5 ? `, and ${paths.length - 5} more` : ''})`,
        ];
  return [
    ...part(changes.changed, 'changed'),
    ...part(changes.added, 'added'),
    ...part(changes.removed, 'removed'),
  ].join(', ');
}

/** Refuses a resume whose data or settings are not those of the run. */
async function checkResumeAgrees(experiment: Experiment, run: OpenRun, prepared: PreparedExperiment): Promise<void> {
  const saved = run.record?.data;
  const savedFiles = prepared.dataFiles === undefined ? undefined : await readDataFiles(run.paths.dataFiles);
  // Files edited in place keep the count (and a fingerprint of names): their digests tell.
  const changes =
    savedFiles === undefined || prepared.dataFiles === undefined
      ? ''
      : describeFileChanges(dataFileChanges(savedFiles, prepared.dataFiles));
  const fingerprintDiffers =
    saved?.fingerprint !== undefined &&
    prepared.dataFingerprint !== undefined &&
    saved.fingerprint !== prepared.dataFingerprint;
  if (fingerprintDiffers || changes !== '') {
    const what = changes === '' ? `${saved?.count} ${saved?.examples} then, ${prepared.exampleCount} now` : changes;
    throw new ExperimentError(
      'data',
      `the data changed since the run in ${run.paths.dir} started (${what}); resuming would not continue the same run — restore the data, or start a new run`,
    );
  }
  if (run.savedConfig === undefined) return;
  const differences = configDifferences(
    run.savedConfig,
    JSON.parse(JSON.stringify(prepared.config ?? experiment.config)),
    experiment.mayChangeOnResume ?? [],
  );
  if (differences.length > 0) {
    const listed = differences
      .slice(0, 6)
      .map((d) => `${d.path} (${JSON.stringify(d.saved)} in the run, ${JSON.stringify(d.given)} given)`)
      .join('; ');
    throw new ExperimentError(
      'run',
      `${run.paths.dir}: the settings given to resume differ from the run's: ${listed}${differences.length > 6 ? `; and ${differences.length - 6} more` : ''} — resume with the run's settings, or start a new run in another directory`,
    );
  }
}

/** One resume that passed over corrupt checkpoints, as `run.json` keeps it (`details.checkpointFallbacks`). */
export interface CheckpointFallback {
  /** ISO time of the resume. */
  time: string;
  /** The checkpoint it continued from. */
  resumedFrom: string;
  /** The newer ones it passed over, newest first, and what is wrong with each. */
  rejected: Array<{ checkpoint: string; problem: string }>;
}

/** `run.json`'s details: the face's, and every resume so far that fell back past a corrupt checkpoint. */
function detailsOf(run: OpenRun, prepared: PreparedExperiment): { details?: Record<string, unknown> } {
  const earlier = run.record?.details?.checkpointFallbacks;
  const fallbacks: CheckpointFallback[] = Array.isArray(earlier) ? [...(earlier as CheckpointFallback[])] : [];
  if (run.rejectedCheckpoints.length > 0 && run.checkpoint !== undefined) {
    fallbacks.push({ time: new Date().toISOString(), resumedFrom: run.checkpoint, rejected: run.rejectedCheckpoints });
  }
  const details = { ...prepared.details, ...(fallbacks.length === 0 ? {} : { checkpointFallbacks: fallbacks }) };
  return Object.keys(details).length === 0 ? {} : { details };
}

function summaryRows(
  experiment: Experiment,
  prepared: PreparedExperiment,
  backend: BackendInfo,
  run: PretrainResult,
  wallSeconds: number,
): Record<string, string> {
  const stepsPerEpoch = prepared.data.size as number;
  return {
    [experiment.objective.kind]: experiment.objective.id,
    data: prepared.dataDescription,
    backend: `${backend.name} (${backend.provider}, ${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
    'pretraining steps': `${run.steps} (${run.epochs} epochs × ${stepsPerEpoch})`,
    [`${prepared.examples} / s (augment + forward + backward + update)`]: run.examplesPerSecond.toFixed(1),
    'pretraining seconds': run.trainingSeconds.toFixed(1),
    'wall seconds': wallSeconds.toFixed(1),
    ...prepared.reportSummary,
  };
}

/**
 * Runs an experiment from start to end — the one life of a run that the CLI, the apps and a page
 * share:
 * 1. opens the run directory ({@link openRunDirectory}): an exclusive lock, a new run only in a new
 *    or empty directory (or one whose run died before its first checkpoint), a resume only from a
 *    complete checkpoint whose files verify — a corrupt newest one is passed over for the previous
 *    good one (said in the log and in `run.json`'s `details.checkpointFallbacks`) — the metrics
 *    log exact to that step, staging leftovers of a crashed checkpoint write removed;
 * 2. starts the backend and calls `prepare` (data, model, evaluation); a resume must see the same
 *    data (fingerprint) and the same settings (except `mayChangeOnResume`), and its checkpoint must
 *    load ({@link checkResumeCheckpoint});
 * 3. saves the resolved config (`config.json`) and the run record (`run.json`);
 * 4. evaluates the floors first, then pretrains with checkpoints, the metrics log, progress and
 *    an estimate of the whole run's time;
 * 5. calls `afterPretraining`, saves the encoder (and any artifacts), a preview of the augmentations, evaluates the encoder
 *    beside its floors and any further measures, and writes `report.html` and `result.json`, then
 *    hands the result to `hooks.resultLine` as one JSON line.
 * An aborted `signal` stops after the current step with a checkpoint: the result says
 * `interrupted`, and `runExperiment({ ...experiment, resume: true })` continues the same run.
 *
 * Training that diverges (NaN or ±Inf in the loss, a gradient, a weight or an optimizer slot) stops
 * before anything is saved from it — no checkpoint, no encoder — naming the step and the variable.
 *
 * @throws ExperimentError: `run` (the directory is in use, not a run, has nothing to resume, every
 *   checkpoint is corrupt — each one named —, or the settings disagree with the run), `data` (the
 *   data changed), `config` (no such backend), `failed` (training failed: diverged, naming the step
 *   and the first non-finite variable). Errors of `prepare` pass through unchanged.
 * @example
 * const result = await runExperiment(
 *   { dir: 'runs/simclr', title: 'SimCLR', objective: { kind: 'method', id: 'simclr' }, config,
 *     training: { epochs: 10, optimizer: { kind: 'adamw' }, schedule: { kind: 'constant', learningRate: 1e-3 }, seed: 0 },
 *     prepare: async () => ({ objective, encoder, data, examples: 'images', exampleCount: 6000,
 *       dataDescription: 'Fashion-MNIST subset', dispose: () => objective.dispose() }) },
 *   { resultLine: (line) => console.log(line) },
 * );
 */
export async function runExperiment(experiment: Experiment, hooks: ExperimentHooks = {}): Promise<ExperimentResult> {
  const started = performance.now();
  const log = hooks.log ?? ((line: string) => console.error(line));
  const resume = experiment.resume === true;
  const dryRun = experiment.dryRun === true;
  const run = await openRunDirectory(experiment.dir, {
    resume,
    dryRun,
    log,
    ...(experiment.resumeHint === undefined ? {} : { resumeHint: experiment.resumeHint }),
  });
  const { paths } = run;
  try {
    const backend = await startBackend(experiment.backend, log);
    const prepared = await experiment.prepare({
      paths,
      resume,
      checkpointStep: run.checkpointStep,
      record: run.record,
      backend,
      dryRun,
      log,
    });
    try {
      return await train(experiment, hooks, { run, backend, prepared, started, log });
    } finally {
      prepared.dispose();
    }
  } finally {
    run.lock?.release();
  }
}

interface RunState {
  run: OpenRun;
  backend: BackendInfo;
  prepared: PreparedExperiment;
  started: number;
  log: (line: string) => void;
}

async function train(experiment: Experiment, hooks: ExperimentHooks, state: RunState): Promise<ExperimentResult> {
  const { run, backend, prepared, started, log } = state;
  const { paths } = run;
  const resume = experiment.resume === true;
  const stepsPerEpoch = prepared.data.size;
  if (stepsPerEpoch === undefined || stepsPerEpoch < 1) {
    throw new ExperimentError('data', `${prepared.dataDescription}: not one full batch to train on`);
  }
  const result: ExperimentResult = {
    out: paths.dir,
    title: experiment.title,
    objective: experiment.objective,
    dryRun: experiment.dryRun === true,
    interrupted: false,
    steps: 0,
    epochs: 0,
    stepsPerEpoch,
    resumedFromStep: null,
    firstLoss: null,
    lastLoss: null,
    evaluation: [],
    linearProbeAccuracy: null,
    knnAccuracy: null,
    randomInitLinearProbeAccuracy: null,
    randomInitKnnAccuracy: null,
    rawPixelsLinearProbeAccuracy: null,
    rawPixelsKnnAccuracy: null,
    measures: {},
    data: prepared.dataDescription,
    examples: prepared.examples,
    exampleCount: prepared.exampleCount,
    examplesPerSecond: 0,
    pretrainSeconds: 0,
    wallSeconds: 0,
    estimatedWallSeconds: null,
    backend: backend.name,
    checkpoint: run.checkpoint ?? null,
    encoderPath: null,
    artifacts: {},
    reportPath: null,
    configPath: paths.config,
    warnings: [],
  };
  for (const warning of prepared.warnings ?? []) {
    log(`warning: ${warning}`);
    result.warnings.push(warning);
  }
  const finish = () => {
    result.wallSeconds = (performance.now() - started) / 1000;
    return Object.assign(result, prepared.resultFields?.(result));
  };
  if (resume) {
    await checkResumeAgrees(experiment, run, prepared);
    // A checkpoint that does not load (another architecture) stops the resume now — not after the floors.
    if (run.checkpoint !== undefined) await checkResumeCheckpoint(run.checkpoint, prepared.objective.modules);
  }
  if (experiment.dryRun) {
    log(
      `dry run: ${experiment.objective.kind} '${experiment.objective.id}' on ${prepared.dataDescription}, ${stepsPerEpoch} steps per epoch; the settings and the data are usable`,
    );
    return finish();
  }

  const config = prepared.config ?? experiment.config;
  await writeJsonAtomically(paths.config, config);
  const record: RunRecord = {
    format: 'selfsup-run',
    started: run.record?.started ?? new Date().toISOString(),
    resumed: resume ? [...(run.record?.resumed ?? []), new Date().toISOString()] : [],
    state: 'training',
    title: experiment.title,
    objective: experiment.objective,
    data: {
      description: prepared.dataDescription,
      examples: prepared.examples,
      count: prepared.exampleCount,
      ...(prepared.dataFingerprint === undefined ? {} : { fingerprint: prepared.dataFingerprint }),
    },
    stepsPerEpoch,
    ...detailsOf(run, prepared),
  };
  await writeJsonAtomically(paths.run, record);
  // Kept from the start: a resume compares with the data the run began on (a run begun before
  // selfsup kept them gets them at its first resume).
  if (prepared.dataFiles !== undefined && (!resume || (await readDataFiles(paths.dataFiles)) === undefined)) {
    await writeJsonAtomically(paths.dataFiles, prepared.dataFiles);
  }

  const evaluation = prepared.evaluation;
  let floors: EvaluationRow[] | undefined;
  if (evaluation?.floors !== undefined) {
    log(`evaluating the floors first (${evaluation.description}); then pretraining, then the encoder`);
    floors = await evaluation.floors();
  }
  const eta = etaCallback({
    runStartedAt: started,
    secondsAfterTraining: floors?.[0]?.seconds ?? 0,
    log,
  });
  const collapse = collapseWatchCallback({ log });
  const callbacks: TrainingCallback[] = [metricsLogCallback(paths.metrics), eta, collapse, ...(hooks.callbacks ?? [])];
  if (!hooks.quiet) {
    callbacks.push(
      progressCallback({
        everySteps: Math.max(1, Math.floor(stepsPerEpoch / 4)),
        unit: prepared.examples === 'images' ? 'img' : prepared.examples,
        ...(hooks.progress === undefined ? {} : { stream: hooks.progress }),
      }),
    );
  }
  const { training } = experiment;
  let trained: PretrainResult;
  try {
    trained = await pretrain({
      objective: prepared.objective,
      data: prepared.data,
      epochs: training.epochs,
      optimizer: training.optimizer,
      schedule: training.schedule,
      seed: training.seed,
      ...(training.gradientClipNorm === undefined ? {} : { gradientClipNorm: training.gradientClipNorm }),
      checkpoint: {
        dir: paths.checkpoints,
        everySteps: training.checkpoint?.everySteps ?? 100,
        keep: training.checkpoint?.keep ?? 3,
      },
      resume,
      ...(run.checkpoint === undefined ? {} : { resumeFrom: run.checkpoint }),
      log,
      callbacks,
      ...(training.maxSteps === undefined ? {} : { maxSteps: training.maxSteps }),
      ...(training.metricsEverySteps === undefined ? {} : { metricsEverySteps: training.metricsEverySteps }),
      config,
      ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
    });
  } catch (error) {
    throw new ExperimentError('failed', (error as Error).message, { cause: error });
  }
  Object.assign(result, {
    interrupted: trained.interrupted,
    steps: trained.steps,
    epochs: trained.epochs,
    resumedFromStep: trained.resumedFromStep ?? null,
    firstLoss: trained.history[0]?.loss ?? null,
    lastLoss: trained.history.at(-1)?.loss ?? null,
    examplesPerSecond: trained.examplesPerSecond,
    pretrainSeconds: trained.trainingSeconds,
    estimatedWallSeconds: eta.estimate()?.totalSeconds ?? null,
    checkpoint: trained.lastCheckpoint ?? null,
  });
  const collapsed = collapse.warning();
  if (collapsed !== undefined) result.warnings.push(collapsed.message);
  log(
    `${trained.interrupted ? 'interrupted after' : 'pretrained'} ${trained.steps} steps (${trained.epochs} epochs) in ${trained.trainingSeconds.toFixed(1)} s, ${trained.examplesPerSecond.toFixed(0)} ${prepared.examples}/s${trained.resumedFromStep === undefined ? '' : ` (resumed from step ${trained.resumedFromStep})`}`,
  );
  if (trained.interrupted) return finish();
  await prepared.afterPretraining?.();

  await saveModule(prepared.encoder, paths.encoder);
  result.encoderPath = paths.encoder;
  result.artifacts = (await prepared.saveArtifacts?.(paths)) ?? {};
  let previewImage: string | undefined;
  if (prepared.preview !== undefined) {
    try {
      await prepared.preview(paths.preview);
      previewImage = 'augmentations.png';
    } catch (error) {
      // The preview is a picture for the report; a missing image codec must not cost the evaluation.
      log(`augmentation preview skipped: ${(error as Error).message}`);
    }
  }
  if (evaluation !== undefined) {
    log(`evaluating the pretrained encoder: ${evaluation.description}`);
    result.evaluation = await evaluation.evaluate(floors);
    const rows = result.evaluation;
    result.linearProbeAccuracy = rowValue(rows, 'pretrained', 'linearProbeAccuracy');
    result.knnAccuracy = rowValue(rows, 'pretrained', 'knnAccuracy');
    result.randomInitLinearProbeAccuracy = rowValue(rows, 'random-init', 'linearProbeAccuracy');
    result.randomInitKnnAccuracy = rowValue(rows, 'random-init', 'knnAccuracy');
    result.rawPixelsLinearProbeAccuracy = rowValue(rows, 'raw-pixels', 'linearProbeAccuracy');
    result.rawPixelsKnnAccuracy = rowValue(rows, 'raw-pixels', 'knnAccuracy');
    for (const warning of floorSeparationWarnings(rows)) {
      log(`warning: ${warning}`);
      result.warnings.push(warning);
    }
  }
  if (prepared.measure !== undefined) result.measures = await prepared.measure();
  finish();
  result.reportPath = await writeReport(paths.dir, {
    title: experiment.title,
    history: trained.history,
    evaluation: result.evaluation,
    ...(previewImage === undefined ? {} : { previewImage }),
    summary: {
      ...summaryRows(experiment, prepared, backend, trained, result.wallSeconds),
      ...(result.warnings.length === 0 ? {} : { warnings: result.warnings.join(' · ') }),
      ...Object.fromEntries(
        Object.entries(result.measures).map(([name, value]) => [name, value === null ? '—' : String(value)]),
      ),
    },
    config,
  });
  await writeJsonAtomically(paths.result, result);
  await writeJsonAtomically(paths.run, { ...record, state: 'finished' });
  hooks.resultLine?.(JSON.stringify(result));
  return result;
}
