import { trainTestSplit } from './dataset.js';
import type { LabeledImages } from './fashion-mnist.js';
import { selectImages } from './image-batch.js';
import { type LabeledImageSet, type ReadLabeledImagesOptions, readLabeledImages } from './read-labeled-images.js';

/** Labeled images as `readLabeledImages` reads them: a path (Node), a folder handle or files (a page). */
export type LabeledImagesSource = Parameters<typeof readLabeledImages>[0];

/** Where a probe's labeled images come from, and how they are split. */
export interface LabeledTrainTestSource {
  labels: LabeledImagesSource;
  /** Held-out labeled images; left out: the source's own test split (IDX), else a seeded `testFraction` of `labels`. */
  testLabels?: LabeledImagesSource | undefined;
  testFraction: number;
  seed: number;
}

/** Labeled train and test images, for a linear probe and kNN. */
export interface LabeledTrainTest {
  train: LabeledImages;
  test: LabeledImages;
  classes: number;
  skipped: LabeledImageSet['skipped'];
  /** One line: where the labels come from and how they were split. */
  description: string;
}

const nameOf = (source: LabeledImagesSource): string =>
  typeof source === 'string'
    ? source
    : Array.isArray(source)
      ? `${source.length} files`
      : (source as { name: string }).name;

async function readLabels(source: LabeledImagesSource, options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
  try {
    return await readLabeledImages(source, options);
  } catch (error) {
    throw new Error(`labels ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads labeled images at `options.size` × `options.channels` and splits them into train and
 * test: the test side is `testLabels` (same classes required), else the source's own test split
 * (IDX `t10k`), else a seeded `testFraction` of `labels`.
 *
 * @example
 * const sets = await readLabeledTrainTest({ labels: 'labeled/', testFraction: 0.2, seed: 0 }, { size: [32, 32], channels: 3 });
 * sets.description; // 'labeled/: 80 train / 20 test images, 4 classes (a seeded 20 % held out)'
 * @throws naming the labels when they are unreadable, their classes differ, or a split would leave a side empty.
 */
export async function readLabeledTrainTest(
  source: LabeledTrainTestSource,
  options: ReadLabeledImagesOptions,
): Promise<LabeledTrainTest> {
  const labeled = await readLabels(source.labels, options);
  const skipped = [...labeled.skipped];
  let train = labeled.images;
  let test: LabeledImages;
  let split: string;
  if (source.testLabels !== undefined) {
    const held = await readLabels(source.testLabels, options);
    if (held.classes.join() !== labeled.classes.join()) {
      throw new Error(
        `test labels ${nameOf(source.testLabels)}: classes [${held.classes.join(', ')}] differ from those of ${nameOf(source.labels)} [${labeled.classes.join(', ')}]`,
      );
    }
    skipped.push(...held.skipped);
    test = held.images;
    split = `test: ${nameOf(source.testLabels)}`;
  } else if (labeled.test !== undefined) {
    test = labeled.test;
    split = 'test: its t10k split';
  } else {
    if (train.count < 4) throw new Error(`labels ${nameOf(source.labels)}: ${train.count} images are too few to split`);
    const parts = trainTestSplit(train.count, { testFraction: source.testFraction, seed: source.seed });
    test = selectImages(train, parts.test);
    train = selectImages(train, parts.train);
    split = `a seeded ${Math.round(source.testFraction * 100)} % held out`;
  }
  return {
    train,
    test,
    classes: labeled.classes.length,
    skipped,
    description: `${nameOf(source.labels)}: ${train.count} train / ${test.count} test images, ${labeled.classes.length} classes (${split})`,
  };
}
