import type { Encoder } from '@selfsup/models';
import { type EvaluateEncoderOptions, evaluateEncoder, evaluateFloors } from '../evaluation/evaluate-encoder.js';
import type { ExperimentEvaluation } from './run-experiment.js';

/**
 * The evaluation of an image encoder for {@link runExperiment}: a linear probe and kNN on frozen
 * features of labeled images (`train`/`test`: images `[N, H, W, C]` in [0, 1] with labels `[N]`),
 * beside the floors — the same architecture randomly initialized, and the raw pixels — which run
 * before pretraining unless `floors` is false.
 *
 * @example
 * prepare: async () => ({ …, evaluation: encoderEvaluation(encoder, { train, test, classes: 10, seed: 0 }) })
 */
export function encoderEvaluation(
  encoder: Encoder,
  options: Omit<EvaluateEncoderOptions, 'floors'> & { floors?: boolean },
): ExperimentEvaluation {
  const { floors: withFloors, ...common } = options;
  return {
    description: `linear probe and kNN on frozen features${withFloors === false ? '' : ', beside the random-init and raw-pixel floors'}`,
    ...(withFloors === false ? {} : { floors: () => evaluateFloors(encoder, common) }),
    evaluate: (floors) => evaluateEncoder(encoder, { ...common, floors: floors ?? false }),
  };
}
