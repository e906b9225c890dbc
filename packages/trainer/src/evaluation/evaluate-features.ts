import { type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import type { EvaluationRow } from './evaluate-encoder.js';
import { DEFAULT_KNN_K, knnClassifier } from './knn-classifier.js';
import { linearProbe } from './linear-probe.js';
import { accuracyInterval } from './wilson-interval.js';

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
  /** Linear probes per row, with seeds `seed`, `seed + 1`, …: the row reports their mean ± std (default 1). */
  seeds?: number;
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
  /** Linear probes with seeds `seed`, `seed + 1`, … (default 1). */
  seeds?: number | undefined;
}

/** Mean and sample standard deviation (n − 1; 0 for one value). */
function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (values.length < 2) return { mean, std: 0 };
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return { mean, std: Math.sqrt(squares / (values.length - 1)) };
}

/**
 * The number of probe seeds an option asks for (default 1).
 * @throws naming `seeds` when it is not a positive integer.
 */
export function probeSeedCount(seeds: number | undefined): number {
  const count = seeds ?? 1;
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`evaluation seeds must be a positive integer (linear probes per row), got ${seeds}`);
  }
  return count;
}

/** How a row reads in a log line: `linear probe 91.67% [81.9–96.4, n=60], kNN …`. */
export function describeRow(row: EvaluationRow): string {
  const interval = (value: { lower: number; upper: number }) =>
    `[${(100 * value.lower).toFixed(1)}–${(100 * value.upper).toFixed(1)}, n=${row.testCount}]`;
  const spread =
    row.linearProbeSeedAccuracies.length > 1
      ? ` ± ${(100 * row.linearProbeStd).toFixed(2)} over ${row.linearProbeSeedAccuracies.length} seeds`
      : '';
  return `linear probe ${(100 * row.linearProbeAccuracy).toFixed(2)}%${spread} ${interval(row.linearProbeInterval)}, kNN ${(100 * row.knnAccuracy).toFixed(2)}% ${interval(row.knnInterval)}`;
}

/**
 * One row of an evaluation table: a linear probe (`settings.seeds` of them, seeds `seed`, `seed + 1`,
 * …; their mean ± std) and kNN on frozen features `train` `[trainCount, dim]` → `test`
 * `[testCount, dim]`, each accuracy with its 95 % Wilson interval on `testCount` examples, timed from
 * `started` (a `performance.now()`). Disposes nothing.
 */
export async function probeRow(
  name: string,
  train: Tensor2D,
  test: Tensor2D,
  settings: ProbeSettings,
  started: number,
): Promise<EvaluationRow> {
  const { trainLabels, testLabels, classes } = settings;
  const seed = settings.seed ?? 0;
  const probes = [];
  for (let i = 0; i < probeSeedCount(settings.seeds); i++) {
    probes.push(
      await linearProbe({
        trainFeatures: train,
        trainLabels,
        testFeatures: test,
        testLabels,
        classes,
        seed: seed + i,
        ...(settings.probeEpochs === undefined ? {} : { epochs: settings.probeEpochs }),
      }),
    );
  }
  const testAccuracies = probes.map((probe) => probe.testAccuracy);
  const { mean: linearProbeAccuracy, std: linearProbeStd } = meanAndStd(testAccuracies);
  const testCount = test.shape[0];
  // The neighbours the vote used: kNN takes at most as many as there are training examples.
  const knnK = Math.min(settings.knnK ?? DEFAULT_KNN_K, train.shape[0]);
  const knnAccuracy = await knnClassifier({
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
    testCount,
    linearProbeAccuracy,
    linearProbeInterval: accuracyInterval(linearProbeAccuracy, testCount),
    linearProbeSeedAccuracies: testAccuracies,
    linearProbeStd,
    linearProbeTrainAccuracy: meanAndStd(probes.map((probe) => probe.trainAccuracy)).mean,
    knnAccuracy,
    knnInterval: accuracyInterval(knnAccuracy, testCount),
    knnK,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Linear probe and kNN on frozen features of any kind of example: for each named extractor (e.g.
 * `pretrained`, `random-init`, `bag-of-words`), its features of `train` and `test`, scored as one
 * evaluation row, in the extractors' order. Every extractor sees the same `train` and `test`
 * examples: one split for every kind of feature. Images have {@link evaluateEncoder}; this serves
 * text passages, clips and whatever else a face makes features of.
 *
 * Shapes: each extractor returns `[train count, dim]` and `[test count, dim]` float32 (any `dim`,
 * the same for both); labels become `[count]` int32. Every tensor made here, and the features the
 * extractors return, are disposed.
 *
 * @example
 * const rows = await evaluateFeatures(
 *   { pretrained: (p) => passageFeatures(encoder, p), 'bag-of-words': (p) => bagOfWordsFeatures(p, ids) },
 *   { train: probeTrain, test: probeTest, classes: 15, knnK: 20 },
 * );
 * @throws when an extractor throws (the features made so far are disposed).
 */
export async function evaluateFeatures<T>(
  extractors: Readonly<Record<string, FeatureExtractor<T>>>,
  options: EvaluateFeaturesOptions<T>,
): Promise<EvaluationRow[]> {
  probeSeedCount(options.seeds);
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
        const row = await probeRow(name, train, test, settings, started);
        options.log?.(`evaluated ${name}: ${describeRow(row)}`);
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
