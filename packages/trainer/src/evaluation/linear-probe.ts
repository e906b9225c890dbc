import { createRng, type Tensor, type Tensor1D, type Tensor2D, tf, variableFromTensor } from '@selfsup/backend';

export interface LinearProbeOptions {
  trainFeatures: Tensor2D;
  trainLabels: Tensor1D;
  testFeatures: Tensor2D;
  testLabels: Tensor1D;
  classes: number;
  /**
   * Passes over the training features. Default: as many as make {@link PROBE_STEPS} optimizer
   * steps — the budget of `../shared/peer`'s recipe (30 epochs × 234 batches of 256 on 60 000
   * images), so small datasets get a converged probe too. Batch 256, Adam 1e-3, no weight decay.
   */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
}

/** Default optimizer steps of the linear probe (30 epochs of 234 batches, as `../shared/peer`). */
export const PROBE_STEPS = 30 * 234;

export interface ProbeResult {
  trainAccuracy: number;
  testAccuracy: number;
}

/** Fraction of rows whose argmax equals the label. */
export function accuracyOf(logits: Tensor, labels: Tensor1D): number {
  return tf.tidy(
    () => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')).dataSync()[0] as number,
  );
}

/**
 * Linear probe: multinomial logistic regression on frozen features, standardized with the
 * training set's per-dimension mean and std (Adam, softmax cross-entropy, seeded shuffles), for a
 * fixed optimizer budget. Reports the final classifier's accuracy (no early stopping on the test set).
 */
export function linearProbe(options: LinearProbeOptions): ProbeResult {
  const batchSize = options.batchSize ?? 256;
  const epochs = options.epochs ?? Math.ceil(PROBE_STEPS / Math.ceil(options.trainFeatures.shape[0] / batchSize));
  const rng = createRng(options.seed ?? 0);
  const dim = options.trainFeatures.shape[1];
  const count = options.trainFeatures.shape[0];
  const { mean, variance } = tf.moments(options.trainFeatures, 0);
  const std = tf.tidy(() => tf.add(tf.sqrt(variance), 1e-6));
  const standardize = (x: Tensor2D) => tf.div(tf.sub(x, mean), std) as Tensor2D;
  const train = tf.tidy(() => standardize(options.trainFeatures));
  const test = tf.tidy(() => standardize(options.testFeatures));
  const limit = Math.sqrt(6 / (dim + options.classes));
  const weights = variableFromTensor(rng.uniformTensor([dim, options.classes], -limit, limit));
  const bias = variableFromTensor(tf.zeros([options.classes]));
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  const oneHot = tf.tidy(() => tf.oneHot(tf.cast(options.trainLabels, 'int32') as Tensor1D, options.classes));
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = rng.fork(`epoch-${epoch}`).permutation(count);
      for (let start = 0; start < count; start += batchSize) {
        const indices = tf.tensor1d(order.subarray(start, Math.min(count, start + batchSize)), 'int32');
        optimizer.minimize(() => {
          const logits = tf.add(tf.matMul(tf.gather(train, indices), weights), bias);
          return tf.losses.softmaxCrossEntropy(tf.gather(oneHot, indices), logits) as tf.Scalar;
        });
        indices.dispose();
      }
    }
    const logitsOf = (x: Tensor2D) => tf.add(tf.matMul(x, weights), bias);
    return {
      trainAccuracy: tf.tidy(() => accuracyOf(logitsOf(train), options.trainLabels)),
      testAccuracy: tf.tidy(() => accuracyOf(logitsOf(test), options.testLabels)),
    };
  } finally {
    tf.dispose([mean, variance, std, train, test, weights, bias, oneHot]);
    optimizer.dispose();
  }
}
