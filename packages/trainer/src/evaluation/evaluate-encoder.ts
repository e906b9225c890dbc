import { type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import type { LabeledImages } from '@selfsup/data';
import type { Encoder } from '@selfsup/models';
import { probeRow } from './evaluate-features.js';
import { extractFeatures, rawPixelFeatures } from './extract-features.js';
import { randomInitTwin } from './random-init-twin.js';

/** One row of an evaluation table: plain numbers (accuracies in [0, 1]), no tensors. */
export interface EvaluationRow {
  /** `pretrained`, `random-init` or `raw-pixels`. */
  features: string;
  /** Length of the feature vectors evaluated: `encoder.featureSize`, or H·W·C for `raw-pixels`. */
  dimension: number;
  linearProbeAccuracy: number;
  linearProbeTrainAccuracy: number;
  knnAccuracy: number;
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
  log?: (line: string) => void;
}

function labelsOf(set: LabeledImages): Tensor1D {
  return tf.tensor1d(Int32Array.from(set.labels), 'int32');
}

function evaluateFeatures(
  name: string,
  train: Tensor2D,
  test: Tensor2D,
  options: EvaluateEncoderOptions,
  started: number,
): EvaluationRow {
  const trainLabels = labelsOf(options.train);
  const testLabels = labelsOf(options.test);
  try {
    return probeRow(name, train, test, { ...options, trainLabels, testLabels }, started);
  } finally {
    tf.dispose([trainLabels, testLabels]);
  }
}

/** Linear probe and kNN on the frozen features of one encoder, timed from feature extraction on. */
function evaluateModel(name: string, model: Encoder, options: EvaluateEncoderOptions): EvaluationRow {
  const started = performance.now();
  const train = extractFeatures(model, options.train);
  const test = extractFeatures(model, options.test);
  try {
    const row = evaluateFeatures(name, train, test, options, started);
    options.log?.(
      `evaluated ${name}: linear probe ${(100 * row.linearProbeAccuracy).toFixed(2)}%, kNN ${(100 * row.knnAccuracy).toFixed(2)}%`,
    );
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
 * const floors = evaluateFloors(encoder, { train, test, classes: 10 });
 * // … pretrain …
 * const rows = evaluateEncoder(encoder, { train, test, classes: 10, floors });
 */
export function evaluateFloors(encoder: Encoder, options: EvaluateEncoderOptions): EvaluationRow[] {
  const random = randomInitTwin(encoder);
  let randomRow: EvaluationRow;
  try {
    randomRow = evaluateModel('random-init', random, options);
  } finally {
    random.dispose();
  }
  const started = performance.now();
  const train = rawPixelFeatures(options.train);
  const test = rawPixelFeatures(options.test);
  try {
    const rawRow = evaluateFeatures('raw-pixels', train, test, options, started);
    options.log?.(`evaluated raw-pixels: linear probe ${(100 * rawRow.linearProbeAccuracy).toFixed(2)}%`);
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
 * `[count, encoder.featureSize]` and labels `[count]` int32. Every tensor made here is disposed.
 *
 * @example
 * const rows = evaluateEncoder(encoder, { train, test, classes: 10 });
 * // [{ features: 'pretrained', linearProbeAccuracy: 0.81, … }, { features: 'random-init', … }, { features: 'raw-pixels', … }]
 */
export function evaluateEncoder(encoder: Encoder, options: EvaluateEncoderOptions): EvaluationRow[] {
  const pretrained = evaluateModel('pretrained', encoder, options);
  const { floors = true } = options;
  if (floors === false) return [pretrained];
  return [pretrained, ...(floors === true ? evaluateFloors(encoder, options) : floors)];
}
