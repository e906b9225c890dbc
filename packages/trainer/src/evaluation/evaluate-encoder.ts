import { type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import type { LabeledImages } from '@selfsup/data';
import type { Encoder } from '@selfsup/models';
import { extractFeatures, rawPixelFeatures } from './extract-features.js';
import { knnClassifier } from './knn-classifier.js';
import { linearProbe } from './linear-probe.js';
import { randomInitTwin } from './random-init-twin.js';

/** One row of an evaluation table. */
export interface EvaluationRow {
  /** `pretrained`, `random-init` or `raw-pixels`. */
  features: string;
  dimension: number;
  linearProbeAccuracy: number;
  linearProbeTrainAccuracy: number;
  knnAccuracy: number;
  seconds: number;
}

export interface EvaluateEncoderOptions {
  train: LabeledImages;
  test: LabeledImages;
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
    const probe = linearProbe({
      trainFeatures: train,
      trainLabels,
      testFeatures: test,
      testLabels,
      classes: options.classes,
      seed: options.seed ?? 0,
      ...(options.probeEpochs === undefined ? {} : { epochs: options.probeEpochs }),
    });
    const knnAccuracy = knnClassifier({
      trainFeatures: train,
      trainLabels,
      testFeatures: test,
      testLabels,
      classes: options.classes,
      ...(options.knnK === undefined ? {} : { k: options.knnK }),
    });
    return {
      features: name,
      dimension: train.shape[1],
      linearProbeAccuracy: probe.testAccuracy,
      linearProbeTrainAccuracy: probe.trainAccuracy,
      knnAccuracy,
      seconds: (performance.now() - started) / 1000,
    };
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
 * `random-init` and `raw-pixels`. They do not depend on the encoder's weights, so a run can
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
 */
export function evaluateEncoder(encoder: Encoder, options: EvaluateEncoderOptions): EvaluationRow[] {
  const pretrained = evaluateModel('pretrained', encoder, options);
  const { floors = true } = options;
  if (floors === false) return [pretrained];
  return [pretrained, ...(floors === true ? evaluateFloors(encoder, options) : floors)];
}
