import { createRng } from '@selfsup/backend';
import { selectImages } from '@selfsup/data';
import type { Encoder } from '@selfsup/models';
import { DEFAULT_FINE_TUNE_EPOCHS, type FineTuneOptions, fineTune } from './fine-tune.js';
import { randomInitTwin } from './random-init-twin.js';

/** Options of {@link fineTuneBesideRandomInit}: those of `fineTune` (images `[count, H, W, C]`), and how many labels. */
export interface FineTuneBesideRandomInitOptions extends FineTuneOptions {
  /**
   * Fine-tune on this many training images, a seeded random subset (the few-labels setting);
   * default: all of `train`.
   */
  labels?: number;
  log?: (line: string) => void;
}

/** Accuracies of one fine-tuned encoder, in [0, 1]. */
export interface FineTuneScore {
  trainAccuracy: number;
  testAccuracy: number;
}

/** What {@link fineTuneBesideRandomInit} returns: plain numbers, no tensors. */
export interface FineTuneComparison {
  /** Labeled training images used. */
  labels: number;
  epochs: number;
  pretrained: FineTuneScore;
  /** The same architecture from a random initialization, fine-tuned with the same budget and settings. */
  randomInit: FineTuneScore;
  seconds: number;
}

/**
 * Fine-tunes the encoder and a randomly initialized twin (`randomInitTwin`) on the same labeled
 * images with the same budget and settings (`fineTune`), and reports both test accuracies: what
 * pretraining is worth when the encoder may change, the protocol MAE is judged by. Neither given
 * nor twin encoder is kept; the given one is not changed.
 *
 * Shapes: as {@link fineTune}, for both encoders — images `[batchSize, H, W, C]` in [0, 1], labels
 * `[batchSize]` int32, logits `[batchSize, classes]`; the subset is `labels` images of `train`.
 *
 * @example
 * const { pretrained, randomInit } = await fineTuneBesideRandomInit(encoder, { train, test, classes: 10, epochs: 3, labels: 600 });
 * @throws if `labels` is not an integer in [1, train.count].
 */
export async function fineTuneBesideRandomInit(
  encoder: Encoder,
  options: FineTuneBesideRandomInitOptions,
): Promise<FineTuneComparison> {
  const started = performance.now();
  const labels = options.labels ?? options.train.count;
  if (!Number.isInteger(labels) || labels < 1 || labels > options.train.count) {
    throw new Error(
      `fineTuneBesideRandomInit: labels must be an integer in [1, ${options.train.count}] (the training images); got ${labels}`,
    );
  }
  const seed = options.seed ?? 0;
  const train =
    labels === options.train.count
      ? options.train
      : selectImages(
          options.train,
          Array.from(createRng(seed).fork('labels').permutation(options.train.count)).slice(0, labels),
        );
  const log = options.log ?? (() => {});
  const score = async (name: string, model: Encoder): Promise<FineTuneScore> => {
    const { trainAccuracy, testAccuracy, encoder: tuned } = await fineTune(model, { ...options, train });
    tuned.dispose();
    log(`fine-tuned ${name} on ${labels} labels: test accuracy ${(100 * testAccuracy).toFixed(2)}%`);
    return { trainAccuracy, testAccuracy };
  };
  const pretrained = await score('pretrained', encoder);
  const twin = randomInitTwin(encoder);
  try {
    const randomInit = await score('random-init', twin);
    return {
      labels,
      epochs: options.epochs ?? DEFAULT_FINE_TUNE_EPOCHS,
      pretrained,
      randomInit,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    twin.dispose();
  }
}
