import { createRng } from '@selfsup/backend';
import { stratifiedSplit } from '../data/stratified-split.js';
import { type LabeledTexts, type ReadLabeledTextOptions, readLabeledText } from './read-labeled-text.js';
import { sourceName } from './read-lines.js';

/** Where a text probe's labeled documents come from, and how they are split. */
export interface LabeledTextTrainTestSource extends ReadLabeledTextOptions {
  /** Labeled text as {@link readLabeledText} reads it: class folders or a `.jsonl` path (Node), a `.jsonl` URL or `Blob` (a page). */
  labels: string | Blob;
  /** Held-out labeled text with the same classes; left out: a seeded `testFraction` of each class of `labels`. */
  testLabels?: string | Blob | undefined;
  testFraction: number;
  seed: number;
}

/** Labeled train and test documents for probing a text encoder. */
export interface LabeledTextTrainTest {
  train: LabeledTexts;
  test: LabeledTexts;
  classes: number;
  /** One line: where the labels come from and how they were split. */
  description: string;
}

function subset(set: LabeledTexts, indices: readonly number[]): LabeledTexts {
  return {
    documents: indices.map((i) => set.documents[i] as string[]),
    labels: indices.map((i) => set.labels[i] as number),
    classes: set.classes,
  };
}

async function readLabels(path: string | Blob, options: ReadLabeledTextOptions): Promise<LabeledTexts> {
  try {
    return await readLabeledText(path, options);
  } catch (error) {
    throw new Error(`labels ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads labeled documents ({@link readLabeledText}) and splits them into train and test: the test
 * side is `testLabels` (same classes required), else a seeded `testFraction` of each class of
 * `labels` ({@link stratifiedSplit}).
 *
 * @example
 * const sets = await readLabeledTextTrainTest({ labels: 'labeled/', testFraction: 0.25, seed: 1 });
 * sets.description; // 'labeled/: 30 train / 10 test documents, 2 classes (a seeded 25 % of each class held out)'
 * // in a browser: await readLabeledTextTrainTest({ labels: jsonlFile, testFraction: 0.25, seed: 1 })
 * @throws naming the labels when they are unreadable, their classes differ, or a split would leave a side empty.
 */
export async function readLabeledTextTrainTest(source: LabeledTextTrainTestSource): Promise<LabeledTextTrainTest> {
  const labeled = await readLabels(source.labels, source);
  let train = labeled;
  let test: LabeledTexts;
  let split: string;
  if (source.testLabels !== undefined) {
    test = await readLabels(source.testLabels, source);
    if (test.classes.join() !== labeled.classes.join()) {
      throw new Error(
        `test labels ${sourceName(source.testLabels)}: classes [${test.classes.join(', ')}] differ from those of ${sourceName(source.labels)} [${labeled.classes.join(', ')}]`,
      );
    }
    split = `test: ${sourceName(source.testLabels)}`;
  } else {
    const parts = stratifiedSplit(labeled.labels, {
      testFraction: source.testFraction,
      rng: createRng(source.seed).fork('text-evaluation-split'),
    });
    if (parts.test.length === 0 || parts.train.length === 0) {
      throw new Error(
        `labels ${sourceName(source.labels)}: ${labeled.documents.length} documents are too few to hold ${Math.round(source.testFraction * 100)} % out`,
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
    description: `${sourceName(source.labels)}: ${train.documents.length} train / ${test.documents.length} test documents, ${labeled.classes.length} classes (${split})`,
  };
}
