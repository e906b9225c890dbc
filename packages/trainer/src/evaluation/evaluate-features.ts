import { type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import type { EvaluationRow } from './evaluate-encoder.js';
import { DEFAULT_KNN_K, knnClassifier } from './knn-classifier.js';
import { linearProbe } from './linear-probe.js';

/** Examples of any kind (passages of token ids, clips, …) and their classes. */
export interface LabeledExamples<T> {
  examples: T;
  /** The class of each example, integers in [0, classes). */
  labels: readonly number[];
}

/** Frozen features of a set of examples: `[count, dim]` float32, one row per example (disposed by the evaluation). */
export type FeatureExtractor<T> = (examples: T) => Tensor2D;

/** Options of {@link evaluateFeatures}. */
export interface EvaluateFeaturesOptions<T> {
  /** What the probe and kNN fit. */
  train: LabeledExamples<T>;
  /** Held-out examples the accuracies are measured on. */
  test: LabeledExamples<T>;
  classes: number;
  probeEpochs?: number;
  /** kNN neighbours (default 200, at most the training examples). */
  knnK?: number;
  seed?: number;
  log?: (line: string) => void;
}

/** How a row is probed: labels `[count]` int32 and the probe's settings. */
export interface ProbeSettings {
  trainLabels: Tensor1D;
  testLabels: Tensor1D;
  classes: number;
  probeEpochs?: number | undefined;
  knnK?: number | undefined;
  seed?: number | undefined;
}

/**
 * One row of an evaluation table: a linear probe and kNN on frozen features `train` `[trainCount, dim]`
 * → `test` `[testCount, dim]`, timed from `started` (a `performance.now()`). Disposes nothing.
 */
export function probeRow(
  name: string,
  train: Tensor2D,
  test: Tensor2D,
  settings: ProbeSettings,
  started: number,
): EvaluationRow {
  const { trainLabels, testLabels, classes } = settings;
  const probe = linearProbe({
    trainFeatures: train,
    trainLabels,
    testFeatures: test,
    testLabels,
    classes,
    seed: settings.seed ?? 0,
    ...(settings.probeEpochs === undefined ? {} : { epochs: settings.probeEpochs }),
  });
  // The neighbours the vote used: kNN takes at most as many as there are training examples.
  const knnK = Math.min(settings.knnK ?? DEFAULT_KNN_K, train.shape[0]);
  const knnAccuracy = knnClassifier({
    trainFeatures: train,
    trainLabels,
    testFeatures: test,
    testLabels,
    classes,
    k: knnK,
  });
  return {
    features: name,
    dimension: train.shape[1],
    linearProbeAccuracy: probe.testAccuracy,
    linearProbeTrainAccuracy: probe.trainAccuracy,
    knnAccuracy,
    knnK,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Linear probe and kNN on frozen features of any kind of example: for each named extractor (e.g.
 * `pretrained`, `random-init`, `bag-of-words`), its features of `train` and `test`, scored as one
 * evaluation row, in the extractors' order. Images have {@link evaluateEncoder}; this serves
 * text passages, clips and whatever else a face makes features of.
 *
 * Shapes: each extractor returns `[train count, dim]` and `[test count, dim]` float32 (any `dim`,
 * the same for both); labels become `[count]` int32. Every tensor made here, and the features the
 * extractors return, are disposed.
 *
 * @example
 * const rows = evaluateFeatures(
 *   { pretrained: (p) => passageFeatures(encoder, p), 'bag-of-words': (p) => bagOfWordsFeatures(p, ids) },
 *   { train: probeTrain, test: probeTest, classes: 15, knnK: 20 },
 * );
 * @throws when an extractor throws (the features made so far are disposed).
 */
export function evaluateFeatures<T>(
  extractors: Readonly<Record<string, FeatureExtractor<T>>>,
  options: EvaluateFeaturesOptions<T>,
): EvaluationRow[] {
  const trainLabels = tf.tensor1d(Int32Array.from(options.train.labels), 'int32') as Tensor1D;
  const testLabels = tf.tensor1d(Int32Array.from(options.test.labels), 'int32') as Tensor1D;
  const settings = { ...options, trainLabels, testLabels };
  const rows: EvaluationRow[] = [];
  try {
    for (const [name, extract] of Object.entries(extractors)) {
      const started = performance.now();
      const train = extract(options.train.examples);
      let test: Tensor2D | undefined;
      try {
        test = extract(options.test.examples);
        const row = probeRow(name, train, test, settings, started);
        options.log?.(
          `evaluated ${name}: linear probe ${(100 * row.linearProbeAccuracy).toFixed(2)}%, kNN ${(100 * row.knnAccuracy).toFixed(2)}%`,
        );
        rows.push(row);
      } finally {
        tf.dispose([train, ...(test === undefined ? [] : [test])]);
      }
    }
  } finally {
    tf.dispose([trainLabels, testLabels]);
  }
  return rows;
}
