import type { Encoder } from '@selfsup/models';
import type { EvaluationRow } from './evaluate-encoder.js';
import { type EvaluateFeaturesOptions, evaluateFeatures, type FeatureExtractor } from './evaluate-features.js';
import { randomInitTwin } from './random-init-twin.js';

/**
 * A probe of an encoder on examples of any kind, as its modality makes it (`textEncoderProbe` of
 * `@selfsup/text` for documents): the labeled examples and the features of each row, every
 * extractor giving `[count, dim]` float32.
 */
export interface EncoderProbe<T> {
  train: EvaluateFeaturesOptions<T>['train'];
  test: EvaluateFeaturesOptions<T>['test'];
  /** The encoder's features (the `pretrained` row). */
  pretrained: FeatureExtractor<T>;
  /** The floors by row name (`random-init`, `bag-of-words`, …). */
  floors: Readonly<Record<string, FeatureExtractor<T>>>;
}

/** Options of {@link probeEncoder}: those of {@link evaluateFeatures} but the examples, which the probe gives. */
export interface ProbeEncoderOptions extends Omit<EvaluateFeaturesOptions<unknown>, 'train' | 'test'> {
  /** Also evaluate the floors: the probe's, with the encoder's random-init twin (default true). */
  floors?: boolean;
}

/**
 * Linear probe and kNN of an encoder on examples its modality prepares: `probeOf(randomInit)` makes
 * the probe — given the same architecture randomly initialized ({@link randomInitTwin}) when floors
 * are asked for, so the `random-init` row can be among its floors — and every row is scored by
 * {@link evaluateFeatures}, the `pretrained` row first. The twin is disposed here, whatever happens.
 *
 * @example
 * const rows = await probeEncoder(
 *   encoder,
 *   (randomInit) => textEncoderProbe(encoder, { tokenizer, sequenceLength: 128, train, test, randomInit }),
 *   { classes: 4, knnK: 20, seed: 0 },
 * ); // rows: pretrained, random-init, bag-of-words
 * @throws what `probeOf` or an extractor throws.
 */
export async function probeEncoder<T>(
  encoder: Encoder,
  probeOf: (randomInit: Encoder | undefined) => Promise<EncoderProbe<T>>,
  options: ProbeEncoderOptions,
): Promise<EvaluationRow[]> {
  const { floors: withFloors = true, ...common } = options;
  const randomInit = withFloors ? randomInitTwin(encoder) : undefined;
  try {
    const probe = await probeOf(randomInit);
    return await evaluateFeatures(
      { pretrained: probe.pretrained, ...(withFloors ? probe.floors : {}) },
      { ...common, train: probe.train, test: probe.test },
    );
  } finally {
    randomInit?.dispose();
  }
}
