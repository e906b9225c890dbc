import {
  type LabeledImageSet,
  type LabeledImages,
  type ReadLabeledImagesOptions,
  readLabeledImages,
  selectImages,
  trainTestSplit,
} from '@selfsup/data';
import { CliError } from '../cli-error.js';
import type { SkippedFile } from './training-data.js';

/** Labeled train and test images for a linear probe and kNN. */
export interface EvaluationSets {
  train: LabeledImages;
  test: LabeledImages;
  classes: number;
  skipped: SkippedFile[];
  /** One line: where the labels come from and how they were split. */
  description: string;
}

/** Where an evaluation's labels come from. */
export interface EvaluationSource {
  labels: string;
  testLabels?: string | undefined;
  testFraction: number;
  seed: number;
}

/** `@selfsup/data`'s {@link readLabeledImages}, its errors as CliError('data') naming the labels. */
async function readLabels(path: string, options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
  try {
    return await readLabeledImages(path, options);
  } catch (error) {
    throw new CliError('data', `labels ${(error as Error).message}`);
  }
}

/**
 * Reads the labeled images of an evaluation at the encoder's input (`inputShape` [H, W, C]): the
 * test split is `testLabels`, else the source's own test split (IDX), else a seeded
 * `testFraction` of `labels`.
 *
 * @throws CliError('data') when labels are unreadable, or a split would leave a side empty.
 */
export async function evaluationSets(source: EvaluationSource, inputShape: readonly number[]): Promise<EvaluationSets> {
  const options = {
    size: [inputShape[0] as number, inputShape[1] as number] as [number, number],
    channels: inputShape[2] as 1 | 3,
  };
  const labeled = await readLabels(source.labels, options);
  const skipped = [...labeled.skipped];
  let train = labeled.images;
  let test: LabeledImages;
  let split: string;
  if (source.testLabels !== undefined) {
    const held = await readLabels(source.testLabels, options);
    if (held.classes.join() !== labeled.classes.join()) {
      throw new CliError(
        'data',
        `test labels ${source.testLabels}: classes [${held.classes.join(', ')}] differ from those of ${source.labels} [${labeled.classes.join(', ')}]`,
      );
    }
    skipped.push(...held.skipped);
    test = held.images;
    split = `test: ${source.testLabels}`;
  } else if (labeled.test !== undefined) {
    test = labeled.test;
    split = 'test: its t10k split';
  } else {
    if (train.count < 4)
      throw new CliError('data', `labels ${source.labels}: ${train.count} images are too few to split`);
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
    description: `${source.labels}: ${train.count} train / ${test.count} test images, ${labeled.classes.length} classes (${split})`,
  };
}
