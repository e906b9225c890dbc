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
  /** Also evaluate a randomly initialized copy of the encoder and the raw pixels (default true). */
  floors?: boolean;
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

/**
 * Evaluates an encoder honestly: linear probe and kNN on frozen features of held-out test images,
 * beside the floors every report must show — the same architecture randomly initialized (eval-mode
 * batch norm with initial statistics, as `../shared/peer`) and the raw pixels.
 */
export function evaluateEncoder(encoder: Encoder, options: EvaluateEncoderOptions): EvaluationRow[] {
  const log = options.log ?? (() => {});
  const rows: EvaluationRow[] = [];
  const evaluateWith = (name: string, model: Encoder) => {
    const started = performance.now();
    const train = extractFeatures(model, options.train);
    const test = extractFeatures(model, options.test);
    try {
      rows.push(evaluateFeatures(name, train, test, options, started));
      log(
        `evaluated ${name}: linear probe ${(100 * (rows.at(-1)?.linearProbeAccuracy ?? 0)).toFixed(2)}%, kNN ${(100 * (rows.at(-1)?.knnAccuracy ?? 0)).toFixed(2)}%`,
      );
    } finally {
      tf.dispose([train, test]);
    }
  };
  evaluateWith('pretrained', encoder);
  if (options.floors ?? true) {
    const random = randomInitTwin(encoder);
    try {
      evaluateWith('random-init', random);
    } finally {
      random.dispose();
    }
    const started = performance.now();
    const train = rawPixelFeatures(options.train);
    const test = rawPixelFeatures(options.test);
    try {
      rows.push(evaluateFeatures('raw-pixels', train, test, options, started));
      log(`evaluated raw-pixels: linear probe ${(100 * (rows.at(-1)?.linearProbeAccuracy ?? 0)).toFixed(2)}%`);
    } finally {
      tf.dispose([train, test]);
    }
  }
  return rows;
}
