/** @selfsup/trainer — self-supervised pretraining, checkpoints and evaluation. */

export {
  metricsLogCallback,
  type ProgressStream,
  progressCallback,
  type TrainingCallback,
  type TrainingProgress,
} from './callbacks.js';
export {
  type CheckpointContents,
  CheckpointCorruptError,
  type CheckpointManifest,
  type CheckpointVerification,
  describeRejected,
  type GoodCheckpoint,
  type LoadedCheckpoint,
  latestCheckpoint,
  latestGoodCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  type RejectedCheckpoint,
  removeStaleCheckpointFiles,
  requireLatestCheckpoint,
  type StepRecord,
  saveCheckpoint,
  setCheckpointAside,
  type TrainerState,
  verifyCheckpoint,
} from './checkpoint.js';
export {
  type ConfiguredObjective,
  type EntryChoice,
  type ImageObjectiveData,
  type NormalizationSetting,
  type ObjectiveConfig,
  type ObjectiveData,
  type ObjectiveRegistries,
  objectiveFromConfig,
  previewAugmentationOf,
  type TextObjectiveData,
  type VideoObjectiveData,
} from './config/objective-from-config.js';
export { type EtaCallbackOptions, etaCallback, type RunEstimate } from './eta-callback.js';
export {
  type EvaluateEncoderOptions,
  type EvaluationRow,
  evaluateEncoder,
  evaluateFloors,
} from './evaluation/evaluate-encoder.js';
export {
  type EvaluateFeaturesOptions,
  evaluateFeatures,
  type FeatureExtractor,
  type LabeledExamples,
} from './evaluation/evaluate-features.js';
export { extractFeatures, rawPixelFeatures } from './evaluation/extract-features.js';
export { type FineTuneOptions, type FineTuneResult, fineTune } from './evaluation/fine-tune.js';
export {
  type FineTuneBesideRandomInitOptions,
  type FineTuneComparison,
  type FineTuneScore,
  fineTuneBesideRandomInit,
} from './evaluation/fine-tune-beside-random-init.js';
export { floorSeparationWarnings } from './evaluation/floor-separation.js';
export { type KnnOptions, knnClassifier } from './evaluation/knn-classifier.js';
export {
  accuracyOf,
  type LinearProbeOptions,
  linearProbe,
  PROBE_STEPS,
  type ProbeResult,
} from './evaluation/linear-probe.js';
export { majorityAccuracy } from './evaluation/majority-accuracy.js';
export { type NearestNeighbourOptions, nearestNeighbours } from './evaluation/nearest-neighbours.js';
export { type EncoderProbe, type ProbeEncoderOptions, probeEncoder } from './evaluation/probe-encoder.js';
export { randomInitTwin } from './evaluation/random-init-twin.js';
export { evaluateTaskMetrics, type TaskMetricsOptions } from './evaluation/task-metrics.js';
export { accuracyInterval, type ProportionInterval, wilsonInterval, Z_95 } from './evaluation/wilson-interval.js';
export { type BarlowTwinsMethodOptions, createBarlowTwins } from './methods/barlow-twins-method.js';
export { type ByolOptions, createByol } from './methods/byol.js';
export { createDino, type DinoOptions, dinoTeacherTemp } from './methods/dino.js';
export { createDinoHead, type DinoHead, type DinoHeadOptions } from './methods/dino-head.js';
export { createMethod, type SslMethodId, sslMethods } from './methods/methods.js';
export { createMocoV2, type MocoV2Options } from './methods/moco-v2.js';
export { createMocoV3, type MocoV3Options, mocoV3Contrastive } from './methods/moco-v3.js';
export { multiCropFeatures } from './methods/multi-crop-views.js';
export { createNnclr, type NnclrOptions, nearestInSupport, nnclrLoss } from './methods/nnclr.js';
export { createSimclr, type SimclrOptions } from './methods/simclr.js';
export { createSimsiam, type SimsiamOptions } from './methods/simsiam.js';
export { createSwav, type SwavMethodOptions, type SwavQueuedLossOptions, swavQueuedLoss } from './methods/swav.js';
export { createTwoViewMethod, type TwoViewMethodOptions, type ViewPairLoss } from './methods/two-view-method.js';
export { createVicreg, type VicregMethodOptions } from './methods/vicreg-method.js';
export { copyWeights, defaultTwoViews, type MethodOptions, targetCopy, type Views } from './methods/view-objective.js';
export { type AdamOptions, createAdam, createAdamW } from './optimizers/adam.js';
export { createOptimizer, OPTIMIZER_KINDS, type OptimizerConfig } from './optimizers/create-optimizer.js';
export { createLars, type LarsOptions } from './optimizers/lars.js';
export {
  isBiasOrNormParameter,
  type Optimizer,
  type OptimizerState,
  type ParameterFilter,
} from './optimizers/optimizer.js';
export { createSgd, type SgdOptions } from './optimizers/sgd.js';
export { type PretrainOptions, type PretrainResult, pretrain } from './pretrain.js';
export { lineChartSvg, type ReportContents, reportBlob, reportHtml, writeReport } from './report.js';
export {
  COLLAPSE_STD_THRESHOLD,
  type CollapseWarning,
  collapseWatchCallback,
  EMBEDDING_STD_METRIC,
  embeddingStd,
  viewsEmbeddingStd,
} from './representation-collapse.js';
export { type ConfigDifference, configDifferences } from './run/config-differences.js';
export { encoderEvaluation } from './run/encoder-evaluation.js';
export { ExperimentError, type ExperimentErrorReason } from './run/experiment-error.js';
export { type FeatureEvaluationOptions, featureEvaluation } from './run/feature-evaluation.js';
export { type ExperimentMeasures, flattenMeasures } from './run/flatten-measures.js';
export { keepMetricsUpTo } from './run/metrics-log.js';
export { checkResumeCheckpoint } from './run/resume-checkpoint.js';
export { type OpenRun, type OpenRunOptions, openRunDirectory } from './run/run-directory.js';
export {
  type CheckpointFallback,
  type Experiment,
  type ExperimentContext,
  type ExperimentEvaluation,
  type ExperimentHooks,
  type ExperimentResult,
  type ExperimentTraining,
  type PreparedExperiment,
  runExperiment,
} from './run/run-experiment.js';
export { acquireRunLock, type RunLock, type RunLockOwner } from './run/run-lock.js';
export { type RunPaths, runPaths } from './run/run-paths.js';
export { type RunRecord, readRunRecord, writeJsonAtomically } from './run/run-record.js';
export { listRuns, removeRun, type StoredRun } from './run/stored-runs.js';
export {
  createSchedule,
  type LearningRateSchedule,
  type ScheduleConfig,
  stepSchedule,
  warmupCosineSchedule,
} from './schedules.js';
export { type TaskEncoders, type TaskEncodersOptions, taskEncoders } from './task-encoders.js';
export { taskObjective } from './task-objective.js';
export type { StepContext, TrainingObjective } from './training-objective.js';
