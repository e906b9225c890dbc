import type { Encoder } from '@selfsup/models';
import {
  type LabeledTexts,
  type LabeledTextTrainTest,
  type LabeledTextTrainTestSource,
  readLabeledTextTrainTest,
  type TextTokenizer,
  textEncoderProbe,
} from '@selfsup/text';
import { type EvaluationRow, evaluateFeatures, randomInitTwin } from '@selfsup/trainer';
import { CliError } from '../cli-error.js';

/**
 * `@selfsup/text`'s {@link readLabeledTextTrainTest}, its errors as CliError('data').
 *
 * @throws CliError('data') when labels are unreadable, the classes of the two differ, or a split
 *   would leave a side empty.
 */
export async function textEvaluationSets(source: LabeledTextTrainTestSource): Promise<LabeledTextTrainTest> {
  try {
    return await readLabeledTextTrainTest(source);
  } catch (error) {
    throw new CliError('data', (error as Error).message);
  }
}

/** How {@link evaluateTextEncoder} probes. */
export interface EvaluateTextEncoderOptions {
  /** The tokenizer the encoder was trained with. */
  tokenizer: TextTokenizer;
  /** Tokens per sequence the encoder reads, [CLS] and [SEP] included. */
  sequenceLength: number;
  /** A document's feature is the mean over its first this many packed sequences (default 8). */
  sequencesPerDocument?: number;
  train: LabeledTexts;
  test: LabeledTexts;
  classes: number;
  /** Also evaluate the randomly initialized encoder and bag-of-words (default true). */
  floors?: boolean;
  probeEpochs?: number;
  knnK?: number;
  seed?: number;
  log?: (line: string) => void;
}

/**
 * Probes a text encoder on labeled documents (`@selfsup/text`'s {@link textEncoderProbe}: a
 * document's feature is the mean of the encoder's features over its first packed sequences) by a
 * linear probe and kNN (`@selfsup/trainer`'s {@link evaluateFeatures}), beside the floors a text
 * report must show: the same architecture randomly initialized, and bag-of-words.
 *
 * @throws when the encoder cannot read sequences of `sequenceLength` tokens.
 */
export async function evaluateTextEncoder(
  encoder: Encoder,
  options: EvaluateTextEncoderOptions,
): Promise<EvaluationRow[]> {
  const floors = options.floors ?? true;
  const randomInit = floors ? randomInitTwin(encoder) : undefined;
  try {
    const probe = await textEncoderProbe(encoder, { ...options, ...(randomInit === undefined ? {} : { randomInit }) });
    return evaluateFeatures(
      { pretrained: probe.pretrained, ...(floors ? probe.floors : {}) },
      {
        train: probe.train,
        test: probe.test,
        classes: options.classes,
        seed: options.seed ?? 0,
        knnK: Math.min(options.knnK ?? 200, options.train.documents.length),
        ...(options.probeEpochs === undefined ? {} : { probeEpochs: options.probeEpochs }),
        ...(options.log === undefined ? {} : { log: options.log }),
      },
    );
  } finally {
    randomInit?.dispose();
  }
}
