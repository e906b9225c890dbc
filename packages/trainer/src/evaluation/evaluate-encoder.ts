import { type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import type { LabeledImages } from '@selfsup/data';
import type { Encoder } from '@selfsup/models';
import { describeRow, probeRow, probeSeedCount } from './evaluate-features.js';
import { extractFeatures, rawPixelFeatures } from './extract-features.js';
import { randomInitTwin } from './random-init-twin.js';
import type { ProportionInterval } from './wilson-interval.js';

/** One row of an evaluation table: plain numbers (accuracies in [0, 1]), no tensors. */
export interface EvaluationRow {
  /** `pretrained`, `random-init` or `raw-pixels`. */
  features: string;
  /** Length of the feature vectors evaluated: `encoder.featureSize`, or H·W·C for `raw-pixels`. */
  dimension: number;
  /** Test examples the accuracies were measured on: the same for every row of one evaluation (one split). */
  testCount: number;
  /** The linear probe's test accuracy: the mean over `linearProbeSeedAccuracies` when several seeds ran. */
  linearProbeAccuracy: number;
  /** 95 % Wilson score interval of `linearProbeAccuracy` on `testCount` examples (the test set's sampling error). */
  linearProbeInterval: ProportionInterval;
  /** The test accuracy of each probe seed (`seed`, `seed + 1`, …; one entry with one seed). */
  linearProbeSeedAccuracies: number[];
  /** Sample standard deviation of the per-seed accuracies (n − 1; 0 with one seed): the probe's own variation. */
  linearProbeStd: number;
  /** The probe's accuracy on its own training features (mean over the seeds). */
  linearProbeTrainAccuracy: number;
  knnAccuracy: number;
  /** 95 % Wilson score interval of `knnAccuracy` on `testCount` examples. */
  knnInterval: ProportionInterval;
  /** Neighbours the kNN vote used (the `knnK` asked for, at most the training examples). */
  knnK: number;
  seconds: number;
}

/** Options of {@link evaluateEncoder} and {@link evaluateFloors}. */
export interface EvaluateEncoderOptions {
  /** Labeled images `[count, H, W, C]` (uint8, 0–255) the probe and kNN fit; H, W, C match the encoder's `inputShape`. */
  train: LabeledImages;
  /** Held-out labeled images `[count, H, W, C]` the accuracies are measured on. */
  test: LabeledImages;
  /** Number of classes; labels are integers in [0, classes). */
  classes: number;
  /**
   * Also evaluate a randomly initialized copy of the encoder and the raw pixels (default true), or
   * the rows {@link evaluateFloors} returned earlier for this encoder's architecture and data.
   */
  floors?: boolean | readonly EvaluationRow[];
  probeEpochs?: number;
  knnK?: number;
  seed?: number;
  /** Linear probes per row, with seeds `seed`, `seed + 1`, …: each row reports their mean ± std (default 1). */
  seeds?: number;
  log?: (line: string) => void;
}

function labelsOf(set: LabeledImages): Tensor1D {
  return tf.tensor1d(Int32Array.from(set.labels), 'int32');
}

async function evaluateFeatures(
  name: string,
  train: Tensor2D,
  test: Tensor2D,
  options: EvaluateEncoderOptions,
  started: number,
): Promise<EvaluationRow> {
  const trainLabels = labelsOf(options.train);
  const testLabels = labelsOf(options.test);
  try {
    return await probeRow(name, train, test, { ...options, trainLabels, testLabels }, started);
  } finally {
    tf.dispose([trainLabels, testLabels]);
  }
}

/** Linear probe and kNN on the frozen features of one encoder, timed from feature extraction on. */
async function evaluateModel(name: string, model: Encoder, options: EvaluateEncoderOptions): Promise<EvaluationRow> {
  const started = performance.now();
  const train = extractFeatures(model, options.train);
  const test = extractFeatures(model, options.test);
  try {
    const row = await evaluateFeatures(name, train, test, options, started);
    options.log?.(`evaluated ${name}: ${describeRow(row)}`);
    return row;
  } finally {
    tf.dispose([train, test]);
  }
}

/**
 * The floors a pretrained encoder must clear: the same architecture randomly initialized (eval-mode
 * batch norm with initial statistics, as the PyTorch reference does) and the raw pixels, rows
 * `random-init` (features `[count, encoder.featureSize]`) and `raw-pixels` (images flattened to
 * `[count, H·W·C]` in [0, 1]), each scored by a linear probe and kNN on `train` → `test`. They do not depend on the encoder's weights, so a run can
 * evaluate them before pretraining — showing the bar early, and timing the evaluation the
 * pretrained encoder will need (the `random-init` row's `seconds`: same architecture, same data).
 *
 * @example
 * const floors = await evaluateFloors(encoder, { train, test, classes: 10 });
 * // … pretrain …
 * const rows = await evaluateEncoder(encoder, { train, test, classes: 10, floors });
 */
export async function evaluateFloors(encoder: Encoder, options: EvaluateEncoderOptions): Promise<EvaluationRow[]> {
  probeSeedCount(options.seeds);
  const random = randomInitTwin(encoder);
  let randomRow: EvaluationRow;
  try {
    randomRow = await evaluateModel('random-init', random, options);
  } finally {
    random.dispose();
  }
  const started = performance.now();
  const train = rawPixelFeatures(options.train);
  const test = rawPixelFeatures(options.test);
  try {
    const rawRow = await evaluateFeatures('raw-pixels', train, test, options, started);
    options.log?.(`evaluated raw-pixels: ${describeRow(rawRow)}`);
    return [randomRow, rawRow];
  } finally {
    tf.dispose([train, test]);
  }
}

/**
 * Evaluates an encoder honestly: linear probe and kNN on frozen features of held-out test images,
 * beside the floors every report must show ({@link evaluateFloors}). Rows: `pretrained`, then
 * `random-init` and `raw-pixels` — evaluated here, or the rows given in `floors`.
 *
 * Shapes: the images of `train` and `test` (`[count, H, W, C]`, 0–255) go through the encoder in
 * evaluation mode as float32 `[batch, H, W, C]` in [0, 1]; the probe and kNN see features
 * `[count, encoder.featureSize]` and labels `[count]` int32. Every row uses the same `train` and
 * `test` images (one split), reports `testCount` and a 95 % Wilson interval beside each accuracy,
 * and with `seeds: n` the mean ± std of n probes. Tensors are read with `await data()` (WebGPU has
 * no synchronous readback) and the event loop gets turns in between. Every tensor made here is disposed.
 *
 * @example
 * const rows = await evaluateEncoder(encoder, { train, test, classes: 10 });
 * // [{ features: 'pretrained', linearProbeAccuracy: 0.81, … }, { features: 'random-init', … }, { features: 'raw-pixels', … }]
 */
export async function evaluateEncoder(encoder: Encoder, options: EvaluateEncoderOptions): Promise<EvaluationRow[]> {
  probeSeedCount(options.seeds);
  const pretrained = await evaluateModel('pretrained', encoder, options);
  const { floors = true } = options;
  if (floors === false) return [pretrained];
  return [pretrained, ...(floors === true ? await evaluateFloors(encoder, options) : floors)];
}
