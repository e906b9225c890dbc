import { createRng } from '@selfsup/backend';
import type { Encoder } from '@selfsup/models';
import {
  type LabeledTexts,
  type ReadLabeledTextOptions,
  readLabeledText,
  stratifiedSplit,
  type TextTokenizer,
  textEncoderProbe,
} from '@selfsup/text';
import { type EvaluationRow, evaluateFeatures, randomInitTwin } from '@selfsup/trainer';
import { CliError } from '../cli-error.js';

/** Labeled train and test documents for probing a text encoder. */
export interface TextEvaluationSets {
  train: LabeledTexts;
  test: LabeledTexts;
  classes: number;
  /** One line: where the labels come from and how they were split. */
  description: string;
}

/** Where a text evaluation's labels come from. */
export interface TextEvaluationSource extends ReadLabeledTextOptions {
  labels: string;
  testLabels?: string | undefined;
  testFraction: number;
  seed: number;
}

function subset(set: LabeledTexts, indices: readonly number[]): LabeledTexts {
  return {
    documents: indices.map((i) => set.documents[i] as string[]),
    labels: indices.map((i) => set.labels[i] as number),
    classes: set.classes,
  };
}

/** `@selfsup/text`'s {@link readLabeledText}, its errors as CliError('data') naming the labels. */
async function readLabels(path: string, options: ReadLabeledTextOptions): Promise<LabeledTexts> {
  try {
    return await readLabeledText(path, options);
  } catch (error) {
    throw new CliError('data', `labels ${(error as Error).message}`);
  }
}

/**
 * Reads the labeled documents of a text evaluation: the test split is `testLabels`, else a seeded
 * `testFraction` of each class of `labels`.
 *
 * @throws CliError('data') when labels are unreadable, the classes of the two differ, or a split
 *   would leave a side empty.
 */
export async function textEvaluationSets(source: TextEvaluationSource): Promise<TextEvaluationSets> {
  const labeled = await readLabels(source.labels, source);
  let train = labeled;
  let test: LabeledTexts;
  let split: string;
  if (source.testLabels !== undefined) {
    test = await readLabels(source.testLabels, source);
    if (test.classes.join() !== labeled.classes.join()) {
      throw new CliError(
        'data',
        `test labels ${source.testLabels}: classes [${test.classes.join(', ')}] differ from those of ${source.labels} [${labeled.classes.join(', ')}]`,
      );
    }
    split = `test: ${source.testLabels}`;
  } else {
    const parts = stratifiedSplit(labeled.labels, {
      testFraction: source.testFraction,
      rng: createRng(source.seed).fork('text-evaluation-split'),
    });
    if (parts.test.length === 0 || parts.train.length === 0) {
      throw new CliError(
        'data',
        `labels ${source.labels}: ${labeled.documents.length} documents are too few to hold ${Math.round(source.testFraction * 100)} % out`,
      );
    }
    test = subset(labeled, parts.test);
    train = subset(labeled, parts.train);
    split = `a seeded ${Math.round(source.testFraction * 100)} % of each class held out`;
  }
  return {
    train,
    test,
    classes: labeled.classes.length,
    description: `${source.labels}: ${train.documents.length} train / ${test.documents.length} test documents, ${labeled.classes.length} classes (${split})`,
  };
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
