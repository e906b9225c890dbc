import type { Tensor2D } from '@selfsup/backend';
import type { TaskEncoder } from '@selfsup/pretext';
import type { LabeledTexts } from '../corpus/read-labeled-text.js';
import { packSequences } from '../data/pack-sequences.js';
import type { TextTokenizer } from '../tokenizer/text-tokenizer.js';
import { tokenCounts } from '../word2vec/token-counts.js';
import { bagOfWordsFeatures, frequentTokenIds, passageFeatures } from './passage-features.js';

/**
 * Each document's first `sequencesPerDocument` packed sequences of `sequenceLength` tokens
 * ([CLS] and [SEP] included, {@link packSequences}): one passage per document, in order, so a
 * passage's feature stands for its document.
 *
 * @example
 * const passages = await documentPassages(labeled.documents, tokenizer, { sequenceLength: 128 });
 * // passages[d]: up to 8 Int32Array(128) of document d
 */
export async function documentPassages(
  documents: readonly (readonly string[])[],
  tokenizer: Pick<TextTokenizer, 'tokenIds' | 'vocabulary'>,
  options: { sequenceLength: number; sequencesPerDocument?: number },
): Promise<Int32Array[][]> {
  const limit = options.sequencesPerDocument ?? 8;
  const passages: Int32Array[][] = [];
  for (const lines of documents) {
    const packed = packSequences(await tokenizer.tokenIds(lines), {
      vocabulary: tokenizer.vocabulary,
      length: options.sequenceLength,
    });
    passages.push(packed.slice(0, limit));
  }
  return passages;
}

/** Options of {@link textEncoderProbe}. */
export interface TextEncoderProbeOptions {
  /** The tokenizer the encoder was trained with. */
  tokenizer: Pick<TextTokenizer, 'tokenIds' | 'vocabulary' | 'vocabSize'>;
  /** Tokens per sequence the encoder reads, [CLS] and [SEP] included. */
  sequenceLength: number;
  /** A document's feature is the mean over its first this many packed sequences (default 8). */
  sequencesPerDocument?: number;
  /** Labeled documents the probe and kNN fit ({@link readLabeledText}). */
  train: LabeledTexts;
  /** Held-out labeled documents the accuracies are measured on. */
  test: LabeledTexts;
  /** The same architecture randomly initialized (`randomInitTwin` of `@selfsup/trainer`): the `random-init` floor. */
  randomInit?: TaskEncoder;
  /** Columns of the bag-of-words floor: the most frequent tokens of the training passages (default 2048). */
  bagOfWordsSize?: number;
}

/** Passages of token ids [documents][sequences] with their classes. */
export interface LabeledPassages {
  examples: Int32Array[][];
  labels: readonly number[];
}

/** What probing a text encoder needs: labeled passages and the feature extractors of each row. */
export interface TextEncoderProbe {
  train: LabeledPassages;
  test: LabeledPassages;
  /** The encoder's features of passages [passages, featureSize]. */
  pretrained: (passages: Int32Array[][]) => Tensor2D;
  /** The floors: `random-init` (with `randomInit`) [passages, featureSize], `bag-of-words` [passages, columns]. */
  floors: Record<string, (passages: Int32Array[][]) => Tensor2D>;
}

/**
 * Prepares the probe of a text encoder on labeled documents: each document becomes one passage
 * ({@link documentPassages}), whose feature is the mean of the encoder's features of its sequences
 * ({@link passageFeatures}); beside it, the floors a text report must show — the same architecture
 * randomly initialized, and bag-of-words (log counts of the most frequent training tokens,
 * {@link bagOfWordsFeatures}). The result plugs into `@selfsup/trainer`'s `evaluateFeatures` or
 * `featureEvaluation` (linear probe and kNN per row).
 *
 * @example
 * const probe = await textEncoderProbe(encoder, { tokenizer, sequenceLength: 128, train, test, randomInit: randomInitTwin(encoder) });
 * const rows = evaluateFeatures({ pretrained: probe.pretrained, ...probe.floors }, { ...probe, classes: train.classes.length });
 */
export async function textEncoderProbe(
  encoder: TaskEncoder,
  options: TextEncoderProbeOptions,
): Promise<TextEncoderProbe> {
  const { tokenizer, sequenceLength } = options;
  const passages = {
    sequenceLength,
    ...(options.sequencesPerDocument === undefined ? {} : { sequencesPerDocument: options.sequencesPerDocument }),
  };
  const train = await documentPassages(options.train.documents, tokenizer, passages);
  const test = await documentPassages(options.test.documents, tokenizer, passages);
  const columns = frequentTokenIds(
    tokenCounts(train.flat(), tokenizer.vocabSize),
    tokenizer.vocabulary,
    options.bagOfWordsSize ?? 2048,
  );
  const { randomInit } = options;
  return {
    train: { examples: train, labels: options.train.labels },
    test: { examples: test, labels: options.test.labels },
    pretrained: (examples) => passageFeatures(encoder, examples),
    floors: {
      ...(randomInit === undefined ? {} : { 'random-init': (examples) => passageFeatures(randomInit, examples) }),
      'bag-of-words': (examples) => bagOfWordsFeatures(examples, columns),
    },
  };
}
