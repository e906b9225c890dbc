import { createRng, type Tensor, type Tensor1D, type Tensor2D, tf, variableFromTensor } from '@selfsup/backend';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** Options of {@link linearProbe}: frozen features and labels of a training and a test set. */
export interface LinearProbeOptions {
  /** Training features `[trainCount, dim]` float32 (standardized here with their own mean and std). */
  trainFeatures: Tensor2D;
  /** Training labels `[trainCount]`, integers in [0, classes) (int32, or float32 cast to int32). */
  trainLabels: Tensor1D;
  /** Test features `[testCount, dim]`, the same `dim` as the training features. */
  testFeatures: Tensor2D;
  /** Test labels `[testCount]`, integers in [0, classes). */
  testLabels: Tensor1D;
  /** Number of classes: the classifier is `[dim, classes]` weights and `[classes]` biases. */
  classes: number;
  /**
   * Passes over the training features. Default: as many as make {@link PROBE_STEPS} optimizer
   * steps — the budget of the usual Fashion-MNIST probe (30 epochs × 234 batches of 256 on 60 000
   * images), so small datasets get a converged probe too. Batch 256, Adam 1e-3, no weight decay.
   */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
}

/** Default optimizer steps of the linear probe (30 epochs of 234 batches of 256: Fashion-MNIST's 60 000 images). */
export const PROBE_STEPS = 30 * 234;

/** Optimizer steps of the probe between two yields to the event loop (a page stays responsive). */
const STEPS_PER_YIELD = 16;

/** The final probe classifier's accuracies, plain numbers in [0, 1]. */
export interface ProbeResult {
  trainAccuracy: number;
  testAccuracy: number;
}

/**
 * Fraction of rows whose argmax equals the label: `logits` `[N, classes]`, `labels` `[N]` integers
 * (int32, or float32 cast to int32) → a number in [0, 1]. Neither input is disposed. It reads
 * synchronously, which WebGPU cannot do: the evaluation counts with the asynchronous `correctCount`.
 *
 * @example
 * accuracyOf(tf.tensor2d([[2, 1], [0, 3]]), tf.tensor1d([0, 0], 'int32')); // 0.5
 */
export function accuracyOf(logits: Tensor, labels: Tensor1D): number {
  return tf.tidy(
    () => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')).dataSync()[0] as number,
  );
}

/**
 * Rows whose argmax equals the label, read with `await data()` (WebGPU has no synchronous
 * readback): `logits` `[N, classes]`, `labels` `[N]` integers → a count in [0, N]. Neither input is
 * disposed.
 *
 * @example
 * await correctCount(tf.tensor2d([[2, 1], [0, 3]]), tf.tensor1d([0, 0], 'int32')); // 1
 */
export async function correctCount(logits: Tensor, labels: Tensor1D): Promise<number> {
  const correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'int32')));
  try {
    return (await correct.data())[0] as number;
  } finally {
    correct.dispose();
  }
}

/**
 * Linear probe: multinomial logistic regression on frozen features, standardized with the
 * training set's per-dimension mean and std (Adam, softmax cross-entropy, seeded shuffles), for a
 * fixed optimizer budget. Reports the final classifier's accuracy (no early stopping on the test set).
 * Reads tensors only with `await data()` (so it runs on WebGPU, which has no synchronous readback)
 * and yields to the event loop every few steps, so a page stays responsive while it trains.
 *
 * Shapes: train features `[trainCount, dim]` and labels `[trainCount]`, test features
 * `[testCount, dim]` and labels `[testCount]`; the classifier maps `[batch, dim]` to logits
 * `[batch, classes]`. Returns plain accuracies in [0, 1]; the inputs are not disposed.
 *
 * @example
 * const { testAccuracy } = await linearProbe({ trainFeatures, trainLabels, testFeatures, testLabels, classes: 10, seed: 0 });
 */
export async function linearProbe(options: LinearProbeOptions): Promise<ProbeResult> {
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
  const learningRate = options.learningRate ?? 1e-3;
  const oneHot = tf.tidy(() => tf.oneHot(tf.cast(options.trainLabels, 'int32') as Tensor1D, options.classes));
  // Adam (beta1 0.9, beta2 0.999, epsilon 1e-7, as tf.train.adam) on the closed-form gradient of
  // the mean softmax cross-entropy, (softmax(logits) - onehot) / rows: a third of the kernels of
  // tape-recorded gradients and an optimizer, where a probe's steps are dispatch-bound.
  const moments = [weights, bias].map((variable) => ({
    variable,
    first: variableFromTensor(tf.zerosLike(variable)),
    second: variableFromTensor(tf.zerosLike(variable)),
  }));
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-7];
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = rng.fork(`epoch-${epoch}`).permutation(count);
      for (let start = 0; start < count; start += batchSize) {
        step++;
        if (step % STEPS_PER_YIELD === 0) await yieldToEventLoop();
        const correction1 = 1 - beta1 ** step;
        const correction2 = 1 - beta2 ** step;
        tf.tidy(() => {
          const indices = tf.tensor1d(order.subarray(start, Math.min(count, start + batchSize)), 'int32');
          const rows = tf.gather(train, indices);
          const logits = tf.add(tf.matMul(rows, weights), bias);
          const error = tf.div(tf.sub(tf.softmax(logits), tf.gather(oneHot, indices)), indices.shape[0]);
          const gradients = [tf.matMul(rows, error, true, false), tf.sum(error, 0)];
          moments.forEach(({ variable, first, second }, i) => {
            const gradient = gradients[i] as Tensor;
            first.assign(tf.add(tf.mul(first, beta1), tf.mul(gradient, 1 - beta1)));
            second.assign(tf.add(tf.mul(second, beta2), tf.mul(tf.square(gradient), 1 - beta2)));
            const update = tf.div(
              tf.mul(first, learningRate / correction1),
              tf.add(tf.sqrt(tf.div(second, correction2)), epsilon),
            );
            variable.assign(tf.sub(variable, update));
          });
        });
      }
    }
    const accuracy = async (x: Tensor2D, labels: Tensor1D) => {
      const logits = tf.tidy(() => tf.add(tf.matMul(x, weights), bias));
      try {
        return (await correctCount(logits, labels)) / x.shape[0];
      } finally {
        logits.dispose();
      }
    };
    return {
      trainAccuracy: await accuracy(train, options.trainLabels),
      testAccuracy: await accuracy(test, options.testLabels),
    };
  } finally {
    tf.dispose([mean, variance, std, train, test, weights, bias, oneHot]);
    for (const { first, second } of moments) tf.dispose([first, second]);
  }
}
