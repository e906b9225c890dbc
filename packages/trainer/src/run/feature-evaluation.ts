import {
  type EvaluateFeaturesOptions,
  evaluateFeatures,
  type FeatureExtractor,
} from '../evaluation/evaluate-features.js';
import type { ExperimentEvaluation } from './run-experiment.js';

/** Options of {@link featureEvaluation}. */
export interface FeatureEvaluationOptions<T> extends EvaluateFeaturesOptions<T> {
  /** What is evaluated, for the log. */
  description: string;
  /** The pretrained encoder's features (the `pretrained` row). */
  pretrained: FeatureExtractor<T>;
  /** The floors by row name (`random-init`, `bag-of-words`, …): evaluated before pretraining. */
  floors?: Readonly<Record<string, FeatureExtractor<T>>>;
}

/**
 * The evaluation of an encoder for {@link runExperiment} on examples of any kind, with the
 * features made by the caller ({@link evaluateFeatures}): the floors first (before pretraining,
 * so the bar and the evaluation's time are known early), then the `pretrained` row beside them.
 * Images have {@link encoderEvaluation}.
 *
 * @example
 * evaluation: featureEvaluation({
 *   description: 'genre probe on frozen passage features, beside random-init and bag-of-words',
 *   pretrained: (p) => passageFeatures(model, p),
 *   floors: { 'random-init': (p) => passageFeatures(untrained, p), 'bag-of-words': (p) => bagOfWordsFeatures(p, ids) },
 *   train: probeTrain, test: probeTest, classes: 15, knnK: 20,
 * }),
 */
export function featureEvaluation<T>(options: FeatureEvaluationOptions<T>): ExperimentEvaluation {
  const { description, pretrained, floors, ...common } = options;
  return {
    description,
    ...(floors === undefined ? {} : { floors: () => evaluateFeatures(floors, common) }),
    evaluate: async (done) => [
      ...(await evaluateFeatures({ pretrained }, common)),
      ...(done ?? (floors === undefined ? [] : await evaluateFeatures(floors, common))),
    ],
  };
}
