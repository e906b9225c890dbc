import { createRng, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import { createModule, type Encoder } from '@selfsup/models';
import {
  type LabeledTexts,
  packSequences,
  type ReadLabeledTextOptions,
  readLabeledText,
  type TextTokenizer,
  tokenCounts,
} from '@selfsup/text';
import { type EvaluationRow, knnClassifier, linearProbe } from '@selfsup/trainer';
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

/** A seeded split that holds out `testFraction` of every class (at least one document of each class with two or more). */
function stratifiedSplit(labels: readonly number[], testFraction: number, seed: number) {
  const rng = createRng(seed).fork('text-evaluation-split');
  const train: number[] = [];
  const test: number[] = [];
  const classes = Math.max(...labels) + 1;
  for (let label = 0; label < classes; label++) {
    const members = labels.flatMap((l, i) => (l === label ? [i] : []));
    const order = rng.fork(`class-${label}`).shuffle(members);
    const held = members.length < 2 ? 0 : Math.max(1, Math.round(members.length * testFraction));
    test.push(...order.slice(0, held));
    train.push(...order.slice(held));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
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
    const parts = stratifiedSplit(labeled.labels, source.testFraction, source.seed);
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

/** Token sequences of a set's documents: each document packed, its first `limit` sequences kept. */
async function documentSequences(set: LabeledTexts, tokenizer: TextTokenizer, length: number, limit: number) {
  const sequences: Int32Array[] = [];
  const owners: number[] = [];
  for (const [index, lines] of set.documents.entries()) {
    const packed = packSequences(await tokenizer.tokenIds(lines), { vocabulary: tokenizer.vocabulary, length });
    for (const sequence of packed.slice(0, limit)) {
      sequences.push(sequence);
      owners.push(index);
    }
  }
  return { sequences, owners, documents: set.documents.length };
}

type Sequences = Awaited<ReturnType<typeof documentSequences>>;

/** Per-document means of the encoder's features of its sequences [documents, featureSize]. */
function encoderFeatures(encoder: Encoder, set: Sequences, length: number, batchSize = 64): Tensor2D {
  const dim = encoder.featureSize;
  const sums = new Float32Array(set.documents * dim);
  const counts = new Float32Array(set.documents);
  for (let start = 0; start < set.sequences.length; start += batchSize) {
    const batch = set.sequences.slice(start, start + batchSize);
    const ids = new Int32Array(batch.length * length);
    batch.forEach((sequence, i) => {
      ids.set(sequence, i * length);
    });
    const values = tf.tidy(() =>
      encoder.apply(tf.tensor2d(ids, [batch.length, length], 'int32'), { training: false }).dataSync(),
    );
    batch.forEach((_, i) => {
      const owner = set.owners[start + i] as number;
      counts[owner] = (counts[owner] as number) + 1;
      for (let d = 0; d < dim; d++) {
        sums[owner * dim + d] = (sums[owner * dim + d] as number) + (values[i * dim + d] as number);
      }
    });
  }
  for (let i = 0; i < sums.length; i++)
    sums[i] = (sums[i] as number) / Math.max(1, counts[Math.floor(i / dim)] as number);
  return tf.tensor2d(sums, [set.documents, dim], 'float32');
}

/** Bag-of-words features: log(1 + count) of each of `ids` over a document's sequences. */
function bagOfWords(set: Sequences, ids: Int32Array, vocabSize: number): Tensor2D {
  const column = new Int32Array(vocabSize).fill(-1);
  ids.forEach((id, c) => {
    column[id] = c;
  });
  const values = new Float32Array(set.documents * ids.length);
  set.sequences.forEach((sequence, index) => {
    const row = set.owners[index] as number;
    for (const id of sequence) {
      const c = column[id] as number;
      if (c >= 0) values[row * ids.length + c] = (values[row * ids.length + c] as number) + 1;
    }
  });
  for (let i = 0; i < values.length; i++) values[i] = Math.log1p(values[i] as number);
  return tf.tensor2d(values, [set.documents, ids.length], 'float32');
}

/** The `count` most frequent non-special token ids. */
function topTokenIds(counts: Float64Array, tokenizer: TextTokenizer, count: number): Int32Array {
  const { vocabulary } = tokenizer;
  const special = new Set([...vocabulary.specialIds, ...vocabulary.sentinelIds]);
  const ids = Array.from(counts.keys()).filter((id) => !special.has(id) && (counts[id] as number) > 0);
  ids.sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  return Int32Array.from(ids.slice(0, count));
}

/**
 * Probes a text encoder on labeled documents: linear probe and kNN on frozen features (the mean of
 * the encoder's features over a document's first packed sequences), beside the floors a text
 * report must show — the same architecture randomly initialized, and bag-of-words (log counts of
 * the 2048 most frequent tokens).
 *
 * @throws when the encoder cannot read sequences of `sequenceLength` tokens.
 */
export async function evaluateTextEncoder(
  encoder: Encoder,
  options: EvaluateTextEncoderOptions,
): Promise<EvaluationRow[]> {
  const log = options.log ?? (() => {});
  const { tokenizer, sequenceLength } = options;
  const limit = options.sequencesPerDocument ?? 8;
  const train = await documentSequences(options.train, tokenizer, sequenceLength, limit);
  const test = await documentSequences(options.test, tokenizer, sequenceLength, limit);
  const rows: EvaluationRow[] = [];
  const trainLabels = tf.tensor1d(Int32Array.from(options.train.labels), 'int32') as Tensor1D;
  const testLabels = tf.tensor1d(Int32Array.from(options.test.labels), 'int32') as Tensor1D;
  const evaluate = (name: string, features: () => [Tensor2D, Tensor2D]) => {
    const started = performance.now();
    const [trainFeatures, testFeatures] = features();
    try {
      const probe = linearProbe({
        trainFeatures,
        trainLabels,
        testFeatures,
        testLabels,
        classes: options.classes,
        seed: options.seed ?? 0,
        ...(options.probeEpochs === undefined ? {} : { epochs: options.probeEpochs }),
      });
      const knnAccuracy = knnClassifier({
        trainFeatures,
        trainLabels,
        testFeatures,
        testLabels,
        classes: options.classes,
        k: Math.min(options.knnK ?? 200, options.train.documents.length),
      });
      rows.push({
        features: name,
        dimension: trainFeatures.shape[1],
        linearProbeAccuracy: probe.testAccuracy,
        linearProbeTrainAccuracy: probe.trainAccuracy,
        knnAccuracy,
        seconds: (performance.now() - started) / 1000,
      });
      log(
        `evaluated ${name}: linear probe ${(100 * probe.testAccuracy).toFixed(2)}%, kNN ${(100 * knnAccuracy).toFixed(2)}%`,
      );
    } finally {
      tf.dispose([trainFeatures, testFeatures]);
    }
  };
  try {
    const withEncoder = (model: Encoder) => (): [Tensor2D, Tensor2D] => {
      const trainFeatures = encoderFeatures(model, train, sequenceLength);
      try {
        return [trainFeatures, encoderFeatures(model, test, sequenceLength)];
      } catch (error) {
        trainFeatures.dispose();
        throw error;
      }
    };
    evaluate('pretrained', withEncoder(encoder));
    if (options.floors ?? true) {
      const random = createModule({ ...encoder.config, options: { ...encoder.config.options, seed: 100 } }) as Encoder;
      try {
        evaluate('random-init', withEncoder(random));
      } finally {
        random.dispose();
      }
      const ids = topTokenIds(tokenCounts(train.sequences, tokenizer.vocabSize), tokenizer, 2048);
      evaluate('bag-of-words', () => [
        bagOfWords(train, ids, tokenizer.vocabSize),
        bagOfWords(test, ids, tokenizer.vocabSize),
      ]);
    }
  } finally {
    tf.dispose([trainLabels, testLabels]);
  }
  return rows;
}

/** Accuracy of always answering the most frequent training class, on the test documents. */
export function majorityAccuracy(train: LabeledTexts, test: LabeledTexts): number {
  const counts = new Map<number, number>();
  for (const label of train.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  return test.labels.filter((label) => label === majority).length / Math.max(1, test.labels.length);
}
