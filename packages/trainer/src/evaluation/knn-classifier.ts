import { type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';

export interface KnnOptions {
  trainFeatures: Tensor2D;
  trainLabels: Tensor1D;
  testFeatures: Tensor2D;
  testLabels: Tensor1D;
  classes: number;
  /** Neighbours (default 200). */
  k?: number;
  /** Vote temperature: each neighbour votes exp(similarity / T) (default 0.07). */
  temperature?: number;
  /** Test rows per similarity block (default 256). */
  chunkSize?: number;
}

/**
 * Weighted kNN on L2-normalized features (Wu et al. 2018, InstDisc): cosine similarity to every
 * training feature, the top k neighbours vote exp(sim / T) for their class, argmax wins.
 * Returns the test accuracy.
 */
export function knnClassifier(options: KnnOptions): number {
  const k = Math.min(options.k ?? 200, options.trainFeatures.shape[0]);
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
      correct += tf.tidy(() => {
        const queries = normalize(tf.slice(options.testFeatures, [start, 0], [size, -1]));
        const { values, indices } = tf.topk(tf.matMul(queries, trainT), k);
        const neighbourLabels = tf.gather(trainLabels, indices); // [size, k]
        const votes = tf.sum(
          tf.mul(tf.oneHot(neighbourLabels, options.classes), tf.expandDims(tf.exp(tf.div(values, temperature)), 2)),
          1,
        );
        const predicted = tf.argMax(votes, 1);
        const truth = tf.cast(tf.slice(options.testLabels, [start], [size]), 'int32');
        return tf.sum(tf.cast(tf.equal(predicted, truth), 'int32')).dataSync()[0] as number;
      });
    }
  } finally {
    tf.dispose([trainT, trainLabels]);
  }
  return correct / testCount;
}
