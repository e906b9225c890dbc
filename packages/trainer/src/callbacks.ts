import { defaultProgressStream } from '#progress-stream';
import { appendTextFile, prepareAppend } from '#run-storage';
import type { StepRecord } from './checkpoint.js';
import { formatDuration } from './format-duration.js';
import { COLLAPSE_STD_THRESHOLD, EMBEDDING_STD_METRIC } from './representation-collapse.js';

/** Where a run stands, passed to callbacks with every step: plain numbers, no tensors. */
export interface TrainingProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  epochs: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  /** Source images per second over the last steps. */
  examplesPerSecond: number;
  /** Seconds of training so far in this run (resumed runs include earlier ones). */
  elapsedSeconds: number;
}

/**
 * Hooks into `pretrain`. Callbacks see plain numbers only (the step's loss already read back from
 * its scalar tensor), so they create and hold no tensors.
 *
 * @example
 * const callback: TrainingCallback = { onEpochEnd: (epoch, progress) => console.log(epoch, progress.examplesPerSecond) };
 */
export interface TrainingCallback {
  onStepEnd?(record: StepRecord, progress: TrainingProgress): void;
  onEpochEnd?(epoch: number, progress: TrainingProgress): void;
  onCheckpoint?(dir: string, progress: TrainingProgress): void;
  onTrainEnd?(progress: TrainingProgress): void;
}

/** Writable the progress callback writes to (by default stderr in Node, the console in a browser). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Progress: on a TTY one line redrawn in place — epoch, a bar, step, loss, images/s, ETA; elsewhere
 * (CI, logs) a plain line every `everySteps` steps and at each epoch's end. While the newest
 * embedding spread a method reported (`embeddingStd`) is below the collapse threshold, the line
 * ends with `COLLAPSED (std …)`.
 */
export function progressCallback(
  options: {
    stream?: ProgressStream;
    everySteps?: number;
    /** What the run's examples are, for the pace (`img/s` by default; e.g. `seq` for token sequences). */
    unit?: string;
  } = {},
): TrainingCallback {
  const unit = options.unit ?? 'img';
  const stream = options.stream ?? defaultProgressStream();
  const interactive = stream.isTTY === true;
  const everySteps = options.everySteps ?? 20;
  // The newest spread reported (metrics come every few steps), so a collapse stays flagged between them.
  let spread: number | undefined;
  const line = (record: StepRecord, p: TrainingProgress) => {
    const eta = p.step > 0 ? ((p.totalSteps - p.step) * p.elapsedSeconds) / p.step : Number.NaN;
    spread = record.metrics?.[EMBEDDING_STD_METRIC] ?? spread;
    const collapsed = spread !== undefined && spread < COLLAPSE_STD_THRESHOLD;
    return (
      `epoch ${p.epoch + 1}/${p.epochs}  step ${p.stepInEpoch}/${p.stepsPerEpoch} (${p.step}/${p.totalSteps})  ` +
      `loss ${record.loss.toFixed(4)}  lr ${record.learningRate.toExponential(2)}  ${p.examplesPerSecond.toFixed(0)} ${unit}/s  ETA ${formatDuration(eta)}` +
      (collapsed ? `  COLLAPSED (std ${(spread as number).toExponential(1)})` : '')
    );
  };
  return {
    onStepEnd(record, p) {
      if (interactive) {
        const width = 20;
        const filled = Math.round((width * p.stepInEpoch) / Math.max(1, p.stepsPerEpoch));
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line(record, p)}\x1b[K`);
      } else if (p.step % everySteps === 0 || p.stepInEpoch === p.stepsPerEpoch) {
        stream.write(`${line(record, p)}\n`);
      } else {
        spread = record.metrics?.[EMBEDDING_STD_METRIC] ?? spread;
      }
    },
    onEpochEnd() {
      if (interactive) stream.write('\n');
    },
  };
}

/**
 * Appends one JSON line per step (step, epoch, loss, learningRate, metrics, images/s, time) to
 * `path`: a file in Node; in a browser the page's IndexedDB (lines written in order in the
 * background, all of them before the next checkpoint becomes `latest`).
 *
 * @example
 * await pretrain({ …, callbacks: [metricsLogCallback('runs/simclr/metrics.jsonl')] });
 */
export function metricsLogCallback(path: string): TrainingCallback {
  prepareAppend(path);
  return {
    onStepEnd(record, p) {
      appendTextFile(
        path,
        `${JSON.stringify({ ...record, examplesPerSecond: Number(p.examplesPerSecond.toFixed(1)), elapsedSeconds: Number(p.elapsedSeconds.toFixed(3)), time: new Date().toISOString() })}\n`,
      );
    },
  };
}
