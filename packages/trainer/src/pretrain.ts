import {
  createRng,
  type NamedTensorMap,
  readScalars,
  type Scalar,
  type Tensor,
  type TensorContainer,
  tf,
} from '@selfsup/backend';
import type { Dataset } from '@selfsup/data';
import type { MetricValues } from '@selfsup/pretext';
import type { TrainingCallback, TrainingProgress } from './callbacks.js';
import {
  describeRejected,
  latestGoodCheckpoint,
  loadCheckpoint,
  type StepRecord,
  saveCheckpoint,
  type TrainerState,
} from './checkpoint.js';
import { firstNonFinite, type NamedTensor, namedWeights, sumOfAll } from './finite-check.js';
import { createOptimizer, type OptimizerConfig } from './optimizers/create-optimizer.js';
import { createSchedule, type ScheduleConfig } from './schedules.js';
import { appendStepRecord, boundHistory, DEFAULT_HISTORY_POINTS } from './step-history.js';
import type { TrainingObjective } from './training-objective.js';

/** Options of {@link pretrain}. */
export interface PretrainOptions {
  /** What to optimize: a method (`createSimclr`, …) or a task (`taskObjective`). */
  objective: TrainingObjective;
  /**
   * Raw batches, deterministic per epoch, N samples on axis 0 — images `[N, H, W, C]` float32 in
   * [0, 1] (e.g. `labeledImageBatches`), or the task's samples (token ids `[N, L]`, frame sequences
   * `[N, T, H, W, C]`); N counts the examples per second. The trainer disposes them.
   */
  data: Dataset<Tensor>;
  epochs: number;
  optimizer: OptimizerConfig;
  /** A schedule, or a function of the run's length that makes one (e.g. warmup over 10 % of the steps). */
  schedule: ScheduleConfig | ((run: { stepsPerEpoch: number; totalSteps: number }) => ScheduleConfig);
  /** Seeds every random choice of the run (each step's stream is forked from it by step number). */
  seed: number;
  /** Clips gradients to this global L2 norm (off by default). */
  gradientClipNorm?: number;
  /** Checkpoints under `dir`: at every epoch's end, every `everySteps` steps, and at the end. */
  checkpoint?: { dir: string; everySteps?: number; keep?: number };
  /**
   * Continue from the newest good checkpoint in `checkpoint.dir` when there is one: corrupt newer
   * ones are passed over with a log line each (`latestGoodCheckpoint`).
   */
  resume?: boolean;
  /** With `resume`: the checkpoint to continue from, chosen and verified by the caller (`runExperiment`). */
  resumeFrom?: string;
  /** Check the weights for NaN and ±Inf every this many steps (default 1; the gradients are checked every step, and everything before each save). */
  checkWeightsEverySteps?: number;
  /** Where `pretrain` says what it did beside progress (a corrupt checkpoint passed over); default `console.warn`. */
  log?: (line: string) => void;
  callbacks?: TrainingCallback[];
  /** Stop after this many optimizer steps in total (for short runs and tests). */
  maxSteps?: number;
  /**
   * Compute `objective.metrics` every this many steps (default 10), after the step's update, read in
   * one asynchronous readback (every backend, WebGPU included).
   */
  metricsEverySteps?: number;
  /** The resolved run configuration, saved with every checkpoint. */
  config?: unknown;
  /**
   * Loss-curve points kept in `history` and in each checkpoint's `trainer.json` (default 1000):
   * every step up to that many, then every 2nd, 4th, … step (step 1 and the newest always), so a
   * long run's checkpoints stay small; the metrics log and `onStepEnd` see every step.
   */
  historyPoints?: number;
  /**
   * Stops the run gracefully when aborted (e.g. on Ctrl-C): the step in progress finishes, a
   * checkpoint is written at it (when `checkpoint` is set), and `pretrain` returns with
   * `interrupted: true`; `resume` then continues the same run.
   */
  signal?: AbortSignal;
}

/** What {@link pretrain} returns: plain numbers and paths, no tensors. */
export interface PretrainResult {
  steps: number;
  epochs: number;
  /** The loss curve: every step up to `historyPoints` steps, evenly thinned beyond (see that option). */
  history: StepRecord[];
  /**
   * Source examples (the batches' N: images, token sequences, videos) per second over this
   * process's steps (augmentation + forward + backward + update).
   */
  examplesPerSecond: number;
  trainingSeconds: number;
  /** Whether the run continued from a checkpoint, and from which step. */
  resumedFromStep: number | undefined;
  lastCheckpoint: string | undefined;
  /** Whether `signal` stopped the run before its planned end. */
  interrupted: boolean;
}

/** `the weight 'encoder/conv1/kernel' holds 320 NaN or infinite values`. */
function nonFiniteWhat(what: string, bad: { name: string; count: number }): string {
  return `${what} '${bad.name}' holds ${bad.count} NaN or infinite value${bad.count === 1 ? '' : 's'}`;
}

function globalNormClip(gradients: NamedTensorMap, maxNorm: number): NamedTensorMap {
  return tf.tidy(() => {
    const squares = Object.values(gradients).map((g) => tf.sum(tf.square(g)));
    const norm = tf.sqrt(tf.addN(squares));
    const scale = tf.minimum(tf.div(maxNorm, tf.maximum(norm, 1e-12)), 1);
    const clipped: NamedTensorMap = {};
    for (const [name, g] of Object.entries(gradients)) clipped[name] = tf.mul(g, scale);
    return clipped;
  });
}

/**
 * Runs self-supervised pretraining: for each batch, `objective.prepare` (augmentations) outside
 * the tape, the loss and its gradients with `tf.variableGrads`, optional gradient clipping, an
 * optimizer step at the schedule's learning rate, then `objective.afterStep` (EMA targets).
 *
 * Shapes: each batch of `data` is what `objective.prepare` takes (images `[N, H, W, C]` in [0, 1]
 * for the methods); the loss is a scalar `[]`, and each gradient has its variable's shape.
 *
 * A run is reproducible and resumable: step n draws from `seed` forked by n, data order is a
 * function of (seed, epoch), and checkpoints store modules, optimizer slots, objective state and
 * the position in the data, so a resumed run continues the same loss curve.
 *
 * @example
 * const result = await pretrain({
 *   objective: createSimclr({ encoder }),
 *   data: labeledImageBatches(train, { batchSize: 256, seed: 0 }),
 *   epochs: 10,
 *   optimizer: { kind: 'adamw', weightDecay: 1e-4 },
 *   schedule: { kind: 'constant', learningRate: 1e-3 },
 *   seed: 0,
 * });
 * Divergence stops the run before anything is saved from it: each step reads its loss together with
 * one fused sum over every gradient (and, every `checkWeightsEverySteps`, over every weight), and
 * each checkpoint and the end of the run check the weights, optimizer slots and objective state
 * first. A non-finite value anywhere is found by that one sum (NaN and ±Inf propagate through it).
 *
 * @throws when the loss, a gradient, a weight or an optimizer slot is NaN or infinite, naming the
 *   step and the first variable that holds such values (no checkpoint or encoder is written from
 *   that state); when no checkpoint under `checkpoint.dir` is good on a resume, naming each one
 *   tried; and for a bad configuration (epochs, an empty dataset, an unknown optimizer or schedule).
 */
export async function pretrain(options: PretrainOptions): Promise<PretrainResult> {
  const { objective, data, epochs, seed } = options;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`pretrain: epochs must be a positive integer, got ${epochs}`);
  const stepsPerEpoch = data.size;
  if (stepsPerEpoch === undefined || stepsPerEpoch < 1) {
    throw new Error(
      `pretrain: the dataset must have a known, positive number of batches per epoch (got ${stepsPerEpoch})`,
    );
  }
  // The run's planned length drives schedules (learning rate, target momentum); `maxSteps` only
  // stops early, so a stopped run and a full one agree step for step.
  const plannedSteps = epochs * stepsPerEpoch;
  const totalSteps = Math.min(plannedSteps, options.maxSteps ?? Number.POSITIVE_INFINITY);
  const scheduleConfig =
    typeof options.schedule === 'function'
      ? options.schedule({ stepsPerEpoch, totalSteps: epochs * stepsPerEpoch })
      : options.schedule;
  const schedule = createSchedule(scheduleConfig);
  const optimizer = createOptimizer(options.optimizer, objective.trainableVariables);
  const callbacks = options.callbacks ?? [];
  const metricsEvery = options.metricsEverySteps ?? 10;
  let metricsReadable = true;
  const runConfig = options.config ?? {
    objective: objective.id,
    epochs,
    seed,
    optimizer: options.optimizer,
    schedule: scheduleConfig,
  };
  let state: TrainerState = { step: 0, epoch: 0, stepInEpoch: 0, history: [], trainingSeconds: 0 };
  let resumedFromStep: number | undefined;
  let lastCheckpoint: string | undefined;
  const log = options.log ?? ((line: string) => console.warn(line));
  const weightsEvery = Math.max(1, options.checkWeightsEverySteps ?? 1);
  const historyPoints = options.historyPoints ?? DEFAULT_HISTORY_POINTS;
  const weights = namedWeights(objective);

  try {
    if (options.resume && options.checkpoint !== undefined) {
      let dir = options.resumeFrom;
      if (dir === undefined) {
        const good = await latestGoodCheckpoint(options.checkpoint.dir, { log, setAside: true });
        if (good.checkpoint === undefined && good.rejected.length > 0) {
          throw new Error(`pretrain: cannot resume: ${describeRejected(options.checkpoint.dir, good.rejected)}`);
        }
        dir = good.checkpoint;
      }
      if (dir !== undefined) {
        // Chosen and verified above (or by the caller): no second notice for an unchecked one.
        const saved = await loadCheckpoint(dir, objective.modules, { log: false });
        optimizer.setState(saved.optimizer);
        objective.setState?.(saved.objectiveState);
        tf.dispose([...Object.values(saved.optimizer.slots), ...Object.values(saved.objectiveState)]);
        state = saved.trainer;
        // A checkpoint from before curves were bounded holds every step.
        boundHistory(state.history, state.step, historyPoints);
        resumedFromStep = state.step;
        lastCheckpoint = dir;
      }
    }

    // The step of the newest checkpoint this run holds (a resumed run starts from one).
    let checkpointedStep = state.step;
    /** Where nothing diverged was saved, for the divergence message. */
    const savedSoFar = () =>
      lastCheckpoint === undefined
        ? 'Nothing was saved from this state (no checkpoint yet).'
        : `Nothing was saved from this state: the newest checkpoint, ${lastCheckpoint}, is from step ${checkpointedStep}.`;
    const diverged = (what: string, step: number, where: string): Error => {
      const last = state.history.at(-1);
      return new Error(
        `pretrain: ${what} at step ${step}${where}; ` +
          `${last === undefined ? 'no step finished before' : `the last finite loss was ${last.loss.toFixed(4)} at step ${last.step}`}. ` +
          `Lower the learning rate, enable gradient clipping, or check the inputs. ${savedSoFar()}`,
      );
    };
    /** Stops the run when any of `tensors` holds NaN or ±Inf (one fused sum; the slow scan only on a hit). */
    const requireFinite = async (tensors: NamedTensor[], what: string) => {
      const sum = tf.tidy(() => sumOfAll(tensors.map((t) => t.tensor)));
      const total = (await sum.data())[0] as number;
      sum.dispose();
      if (Number.isFinite(total)) return;
      const bad = await firstNonFinite(tensors);
      if (bad !== undefined) throw diverged(nonFiniteWhat(what, bad), state.step, ' (checked before saving)');
    };
    const checkpoint = async (progress: TrainingProgress) => {
      if (options.checkpoint === undefined) return;
      const optimizerState = optimizer.getState();
      const objectiveState = objective.getState?.() ?? {};
      try {
        await requireFinite(weights, 'the weight');
        await requireFinite(
          Object.entries(optimizerState.slots).map(([name, tensor]) => ({ name, tensor })),
          'the optimizer slot',
        );
        await requireFinite(
          Object.entries(objectiveState).map(([name, tensor]) => ({ name, tensor })),
          'the objective state',
        );
        checkpointedStep = state.step;
        lastCheckpoint = await saveCheckpoint(
          options.checkpoint.dir,
          { modules: objective.modules, optimizer: optimizerState, objectiveState, trainer: state, config: runConfig },
          options.checkpoint.keep ?? 3,
        );
      } finally {
        tf.dispose([...Object.values(optimizerState.slots), ...Object.values(objectiveState)]);
      }
      for (const callback of callbacks) callback.onCheckpoint?.(lastCheckpoint, progress);
    };

    const runStart = performance.now();
    const secondsBefore = state.trainingSeconds;
    let examplesThisRun = 0;
    const recentSteps: Array<{ examples: number; seconds: number }> = [];
    const progressOf = (): TrainingProgress => {
      const recent = recentSteps.reduce(
        (total, s) => ({ examples: total.examples + s.examples, seconds: total.seconds + s.seconds }),
        { examples: 0, seconds: 0 },
      );
      return {
        step: state.step,
        totalSteps,
        epoch: state.epoch,
        epochs,
        stepInEpoch: state.stepInEpoch,
        stepsPerEpoch,
        examplesPerSecond: recent.seconds > 0 ? recent.examples / recent.seconds : 0,
        elapsedSeconds: state.trainingSeconds,
      };
    };

    let stoppedEarly = false;
    let interrupted = false;
    for (let epoch = state.epoch; epoch < epochs && !stoppedEarly; epoch++) {
      let index = 0;
      for await (const batch of data.iterate(epoch)) {
        // A turn for the event loop before each step: a page repaints and handles Stop, a Node
        // process its signals, while a run trains.
        await yieldToEventLoop();
        if (options.signal?.aborted && state.step < totalSteps) {
          tf.dispose(batch);
          if (state.step > checkpointedStep) await checkpoint(progressOf());
          interrupted = stoppedEarly = true;
          break;
        }
        if (epoch === state.epoch && index < state.stepInEpoch) {
          // Batches the checkpoint already trained on: the data order is a function of the epoch.
          tf.dispose(batch);
          index++;
          continue;
        }
        if (state.step >= totalSteps) {
          tf.dispose(batch);
          stoppedEarly = true;
          break;
        }
        const stepStart = performance.now();
        const examples = batch.shape[0] as number;
        const rng = createRng(seed).fork(`step-${state.step}`);
        const prepared = objective.prepare(batch, rng);
        tf.dispose(batch);
        const context = { step: state.step, totalSteps: plannedSteps };
        const learningRate = schedule(state.step);
        let lossValue: number;
        let metricValues: MetricValues | undefined;
        try {
          const { value, grads } = tf.variableGrads(
            () => objective.loss(prepared, context) as Scalar,
            objective.trainableVariables,
          );
          // One read per step: the loss, a sum over every gradient and (every `weightsEvery` steps)
          // over every weight — NaN and ±Inf anywhere make their sum non-finite.
          const checkWeights = state.step % weightsEvery === 0;
          const probe = tf.tidy(() =>
            tf.stack([
              value,
              sumOfAll(Object.values(grads)),
              checkWeights ? sumOfAll(weights.map((w) => w.tensor)) : tf.scalar(0),
            ]),
          );
          // Read asynchronously: a GPU backend may have no synchronous readback (WebGPU).
          const [loss, gradientSum, weightSum] = Array.from(await probe.data());
          probe.dispose();
          value.dispose();
          lossValue = loss as number;
          let problem: string | undefined;
          // The weights first: they are what went wrong when the loss and gradients follow.
          const badWeight = Number.isFinite(weightSum) ? undefined : await firstNonFinite(weights);
          if (badWeight !== undefined) {
            const madeBy =
              state.step === 0
                ? 'before the first step'
                : weightsEvery === 1
                  ? `after the update of step ${state.step}`
                  : `after the updates of steps ${Math.max(1, state.step - weightsEvery + 1)}–${state.step}`;
            problem = `${nonFiniteWhat('the weight', badWeight)} (${madeBy})`;
          } else if (!Number.isFinite(lossValue)) {
            problem = `the loss is ${lossValue}`;
          } else if (!Number.isFinite(gradientSum)) {
            const names = new Map(weights.map((w) => [w.tensor, w.name]));
            const bad = await firstNonFinite(
              objective.trainableVariables.flatMap((variable) => {
                const tensor = grads[variable.name];
                return tensor === undefined ? [] : [{ name: names.get(variable) ?? variable.name, tensor }];
              }),
            );
            if (bad !== undefined)
              problem = `${nonFiniteWhat('the gradient of', bad)} (the loss is ${Number(lossValue.toPrecision(4))})`;
          }
          if (problem !== undefined) {
            tf.dispose(Object.values(grads));
            throw diverged(problem, state.step + 1, ` (epoch ${epoch + 1}, batch ${index + 1})`);
          }
          const applied =
            options.gradientClipNorm === undefined ? grads : globalNormClip(grads, options.gradientClipNorm);
          optimizer.applyGradients(applied, learningRate);
          tf.dispose(Object.values(grads));
          if (applied !== grads) tf.dispose(Object.values(applied));
          objective.afterStep?.(context);
          if (objective.metrics !== undefined && metricsReadable && (state.step + 1) % metricsEvery === 0) {
            try {
              // One-value tensors, read below in one readback once the step's inputs are freed.
              metricValues = objective.metrics(prepared);
            } catch (error) {
              // A metric that reads its value synchronously itself (a plugin's `dataSync()`) cannot
              // on a backend without synchronous readback (WebGPU in Node, or on a software
              // adapter): train on without the metrics.
              if (!/read it with await|dataSync\(\)/.test(String(error))) throw error;
              metricsReadable = false;
              log(
                `pretrain: the objective's metrics are not computed on ${tf.getBackend()} (${String(error).split('\n')[0]}); training goes on without them`,
              );
            }
          }
        } finally {
          tf.dispose(prepared as TensorContainer);
        }
        const metrics = metricValues === undefined ? undefined : await readScalars(metricValues);
        const seconds = (performance.now() - stepStart) / 1000;
        state.step++;
        state.stepInEpoch = ++index;
        state.trainingSeconds = secondsBefore + (performance.now() - runStart) / 1000;
        examplesThisRun += examples;
        recentSteps.push({ examples, seconds });
        if (recentSteps.length > 10) recentSteps.shift();
        const record: StepRecord = {
          step: state.step,
          epoch: epoch + 1,
          // `+ 0` turns −0 into 0, as a JSON round trip through a checkpoint would.
          loss: lossValue + 0,
          learningRate,
          ...(metrics === undefined ? {} : { metrics }),
        };
        appendStepRecord(state.history, record, historyPoints);
        const progress = progressOf();
        for (const callback of callbacks) callback.onStepEnd?.(record, progress);
        const everySteps = options.checkpoint?.everySteps;
        const endOfEpoch = index === stepsPerEpoch;
        if (endOfEpoch) {
          state.epoch = epoch + 1;
          state.stepInEpoch = 0;
        }
        const checkpointDue =
          endOfEpoch || state.step === totalSteps || (everySteps !== undefined && state.step % everySteps === 0);
        if (checkpointDue || options.signal?.aborted) await checkpoint(progress);
        if (endOfEpoch) for (const callback of callbacks) callback.onEpochEnd?.(epoch, progress);
        if (options.signal?.aborted && state.step < totalSteps) {
          interrupted = stoppedEarly = true;
          break;
        }
      }
      if (index === 0 && !stoppedEarly) throw new Error(`pretrain: the dataset yielded no batch in epoch ${epoch + 1}`);
    }
    // Whatever the caller saves next (the encoder) comes from finite weights.
    await requireFinite(weights, 'the weight');
    const progress = progressOf();
    for (const callback of callbacks) callback.onTrainEnd?.(progress);
    const runSeconds = (performance.now() - runStart) / 1000;
    return {
      steps: state.step,
      epochs: state.epoch,
      history: state.history,
      examplesPerSecond: runSeconds > 0 ? examplesThisRun / runSeconds : 0,
      trainingSeconds: state.trainingSeconds,
      resumedFromStep,
      lastCheckpoint,
      interrupted,
    };
  } finally {
    optimizer.dispose();
  }
}

/** Resolves on the next macrotask (after pending rendering, input and timers). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
