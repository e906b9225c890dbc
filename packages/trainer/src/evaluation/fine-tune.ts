import { createRng, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import { imageBatch, type LabeledImages } from '@selfsup/data';
import { createLinearClassifier, type Encoder } from '@selfsup/models';
import { targetCopy } from '../methods/view-objective.js';
import { createAdam } from '../optimizers/adam.js';
import { correctCount } from './linear-probe.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** Fine-tuning epochs when {@link FineTuneOptions.epochs} is not given. */
export const DEFAULT_FINE_TUNE_EPOCHS = 10;

/** Options of {@link fineTune}. */
export interface FineTuneOptions {
  /** Labeled training images `[count, H, W, C]` (uint8, 0–255; often a small labeled subset); H, W, C match the encoder's `inputShape`. */
  train: LabeledImages;
  /** Held-out labeled images `[count, H, W, C]` the test accuracy is measured on. */
  test: LabeledImages;
  /** Number of classes: the new head maps features `[batch, encoder.featureSize]` to logits `[batch, classes]`. */
  classes: number;
  /** Default 10 epochs, batch 128, Adam 1e-3 for the head and 1e-4 for the encoder. */
  epochs?: number;
  batchSize?: number;
  headLearningRate?: number;
  encoderLearningRate?: number;
  seed?: number;
}

/** What {@link fineTune} returns: accuracies in [0, 1] of encoder + head, and the tuned encoder. */
export interface FineTuneResult {
  trainAccuracy: number;
  testAccuracy: number;
  /** The fine-tuned copy of the encoder (the caller disposes it). */
  encoder: Encoder;
}

/** Accuracy of encoder + head over a labeled set, in evaluation mode, in batches, read with `await data()`. */
async function accuracyOver(
  encoder: Encoder,
  head: ReturnType<typeof createLinearClassifier>,
  set: LabeledImages,
): Promise<number> {
  let correct = 0;
  for (let start = 0; start < set.count; start += 500) {
    const indices = Array.from({ length: Math.min(500, set.count - start) }, (_, i) => start + i);
    const { images, labels } = imageBatch(set, indices);
    const logits = tf.tidy(() => head.apply(encoder.apply(images, { training: false }), { training: false }));
    try {
      correct += await correctCount(logits, labels as Tensor1D);
    } finally {
      tf.dispose([images, labels, logits]);
    }
    await yieldToEventLoop();
  }
  return correct / set.count;
}

/**
 * Fine-tuning: a copy of the encoder and a new linear head trained end to end on labeled images
 * (softmax cross-entropy; the encoder with a 10× smaller learning rate, as is usual for pretrained
 * weights). The given encoder is not changed.
 *
 * Shapes: each step takes images `[batchSize, H, W, C]` float32 in [0, 1] and labels
 * `[batchSize]` int32 (a last incomplete batch is dropped); the encoder gives features
 * `[batchSize, encoder.featureSize]`, the head logits `[batchSize, classes]`. The returned encoder
 * has the given one's shapes. Accuracies are read with `await data()` (WebGPU has no synchronous
 * readback), and the event loop gets a turn after every step.
 *
 * @example
 * const { testAccuracy, encoder: tuned } = await fineTune(encoder, { train, test, classes: 10, epochs: 3 });
 * tuned.dispose();
 */
export async function fineTune(encoder: Encoder, options: FineTuneOptions): Promise<FineTuneResult> {
  const epochs = options.epochs ?? DEFAULT_FINE_TUNE_EPOCHS;
  const batchSize = Math.min(options.batchSize ?? 128, options.train.count);
  const rng = createRng(options.seed ?? 0);
  const tuned = targetCopy(encoder, `${encoder.name}_fine_tuned`);
  const head = createLinearClassifier({
    inputSize: tuned.featureSize,
    classes: options.classes,
    seed: options.seed ?? 0,
    name: 'fine_tune_head',
  });
  const encoderOptimizer = createAdam(tuned.trainableVariables);
  const headOptimizer = createAdam(head.trainableVariables);
  const encoderNames = new Set(tuned.trainableVariables.map((v) => v.name));
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = Array.from(rng.fork(`epoch-${epoch}`).permutation(options.train.count));
      for (let start = 0; start + batchSize <= order.length; start += batchSize) {
        const { images, labels } = imageBatch(options.train, order.slice(start, start + batchSize));
        const { value, grads } = tf.variableGrads(
          () =>
            tf.tidy(() => {
              const logits = head.apply(tuned.apply(images, { training: true }) as Tensor2D, { training: true });
              return tf.losses.softmaxCrossEntropy(tf.oneHot(labels as Tensor1D, options.classes), logits) as tf.Scalar;
            }),
          [...tuned.trainableVariables, ...head.trainableVariables],
        );
        const encoderGrads = Object.fromEntries(Object.entries(grads).filter(([name]) => encoderNames.has(name)));
        const headGrads = Object.fromEntries(Object.entries(grads).filter(([name]) => !encoderNames.has(name)));
        encoderOptimizer.applyGradients(encoderGrads, options.encoderLearningRate ?? 1e-4);
        headOptimizer.applyGradients(headGrads, options.headLearningRate ?? 1e-3);
        tf.dispose([value, ...Object.values(grads), images, labels]);
        await yieldToEventLoop();
      }
    }
    return {
      trainAccuracy: await accuracyOver(tuned, head, options.train),
      testAccuracy: await accuracyOver(tuned, head, options.test),
      encoder: tuned,
    };
  } catch (error) {
    tuned.dispose();
    throw error;
  } finally {
    head.dispose();
    encoderOptimizer.dispose();
    headOptimizer.dispose();
  }
}
