import { type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** Options of {@link knnClassifier}: features and labels of a training and a test set. */
export interface KnnOptions {
  /** Training features `[trainCount, dim]` float32 (normalized here; need not be beforehand). */
  trainFeatures: Tensor2D;
  /** Training labels `[trainCount]`, integers in [0, classes) (int32, or float32 cast to int32). */
  trainLabels: Tensor1D;
  /** Test features `[testCount, dim]`, the same `dim` as the training features. */
  testFeatures: Tensor2D;
  /** Test labels `[testCount]`, integers in [0, classes). */
  testLabels: Tensor1D;
  /** Number of classes (the width of the vote `[testCount, classes]`). */
  classes: number;
  /** Neighbours (default 200). */
  k?: number;
  /** Vote temperature: each neighbour votes exp(similarity / T) (default 0.07). */
  temperature?: number;
  /** Test rows per similarity block (default 256). */
  chunkSize?: number;
}

/** Neighbours a kNN vote takes when none is given (Wu et al. 2018's 200, as in InstDisc and SimCLR's kNN monitors). */
export const DEFAULT_KNN_K = 200;

/**
 * Weighted kNN on L2-normalized features (Wu et al. 2018, InstDisc, arXiv:1805.01978): cosine
 * similarity to every training feature, the top k neighbours vote exp(sim / T) for their class,
 * argmax wins. Returns the test accuracy, a number in [0, 1].
 *
 * Shapes: train features `[trainCount, dim]` and labels `[trainCount]`, test features
 * `[testCount, dim]` and labels `[testCount]`; similarities are computed `chunkSize` test rows at a
 * time (`[chunkSize, trainCount]`), each block's count read with `await data()` (WebGPU has no
 * synchronous readback) before the event loop gets a turn. k is capped at `trainCount`. The inputs
 * are not disposed.
 *
 * @example
 * const accuracy = await knnClassifier({ trainFeatures, trainLabels, testFeatures, testLabels, classes: 10, k: 20 });
 */
export async function knnClassifier(options: KnnOptions): Promise<number> {
  const k = Math.min(options.k ?? DEFAULT_KNN_K, options.trainFeatures.shape[0]);
  const temperature = options.temperature ?? 0.07;
  const chunkSize = options.chunkSize ?? 256;
  const testCount = options.testFeatures.shape[0];
  const normalize = (x: Tensor2D) => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12)) as Tensor2D;
  const trainT = tf.tidy(() => tf.transpose(normalize(options.trainFeatures)) as Tensor2D);
  const trainLabels = tf.tidy(() => tf.cast(options.trainLabels, 'int32') as Tensor1D);
  let correct = 0;
  try {
    for (let start = 0; start < testCount; start += chunkSize) {
      const size = Math.min(chunkSize, testCount - start);
      const block = tf.tidy(() => {
        const queries = normalize(tf.slice(options.testFeatures, [start, 0], [size, -1]));
        const { values, indices } = tf.topk(tf.matMul(queries, trainT), k);
        const neighbourLabels = tf.gather(trainLabels, indices); // [size, k]
        const votes = tf.sum(
          tf.mul(tf.oneHot(neighbourLabels, options.classes), tf.expandDims(tf.exp(tf.div(values, temperature)), 2)),
          1,
        );
        const predicted = tf.argMax(votes, 1);
        const truth = tf.cast(tf.slice(options.testLabels, [start], [size]), 'int32');
        return tf.sum(tf.cast(tf.equal(predicted, truth), 'int32'));
      });
      try {
        correct += (await block.data())[0] as number;
      } finally {
        block.dispose();
      }
      await yieldToEventLoop();
    }
  } finally {
    tf.dispose([trainT, trainLabels]);
  }
  return correct / testCount;
}
