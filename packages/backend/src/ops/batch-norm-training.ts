import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING } from '../kernels/batch-norm-training.js';

export interface BatchNormTrainingOptions {
  /** Added to the variance (default 1e-5, as PyTorch). */
  epsilon?: number;
  /** Apply ReLU to the output, fused into the same passes (default false). */
  relu?: boolean;
  /**
   * Running statistics to update in place (PyTorch's convention):
   * running = (1 − momentum)·running + momentum·batch, with the unbiased batch variance.
   */
  runningMean?: tf.Variable;
  runningVariance?: tf.Variable;
  /** Weight of the batch statistics in the running update (default 0.1). */
  momentum?: number;
}

function fusedAvailable(x: tf.Tensor): boolean {
  return x.dtype === 'float32' && tf.getBackend() === 'wasm' && tf.getKernel(BATCH_NORM_TRAINING, 'wasm') !== undefined;
}

/**
 * Batch normalization with batch statistics (training mode) over every axis but the last,
 * optionally followed by ReLU (Ioffe & Szegedy 2015, arXiv:1502.03167).
 *
 *   y = relu?((x − mean) / √(var + ε) · gamma + beta)
 *
 * On wasm with selfsup's training kernels it runs as two fused SIMD passes forward and two
 * backward (instead of ~15 broadcasting ops); elsewhere it is composed of tfjs ops. Both are
 * differentiable w.r.t. x, gamma and beta.
 *
 * @param x [..., C] float32.
 * @param gamma [C] scale; @param beta [C] shift.
 * @example
 * const y = batchNormTraining(conv, gamma, beta, { relu: true, runningMean, runningVariance });
 * @throws if gamma or beta are not [C] for the last axis C of x.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  options: BatchNormTrainingOptions = {},
): tf.Tensor {
  const channels = x.shape[x.shape.length - 1] as number;
  if (x.rank < 2 || gamma.shape.join() !== `${channels}` || beta.shape.join() !== `${channels}`) {
    throw new Error(
      `batchNormTraining: x must be [..., C] with gamma and beta [C]; got x [${x.shape}], gamma [${gamma.shape}], beta [${beta.shape}]`,
    );
  }
  const epsilon = options.epsilon ?? 1e-5;
  const relu = options.relu ?? false;
  // The batch statistics live only inside: tidy frees them (the tape keeps its own copies).
  return tf.tidy(() => {
    let y: tf.Tensor;
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    const axes = [...Array(x.rank - 1).keys()];
    if (fusedAvailable(x)) {
      [y, mean, variance] = tf
        .engine()
        .runKernel(BATCH_NORM_TRAINING, { x, gamma, beta }, { epsilon, relu } as unknown as tf.NamedAttrMap) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
    } else {
      const moments = tf.moments(x, axes);
      mean = moments.mean;
      variance = moments.variance;
      const normalized = tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
      y = relu ? tf.relu(normalized) : normalized;
    }
    if (options.runningMean !== undefined || options.runningVariance !== undefined) {
      const momentum = options.momentum ?? 0.1;
      const count = x.size / channels;
      tf.tidy(() => {
        const unbiased = tf.mul(variance, count / Math.max(1, count - 1));
        options.runningMean?.assign(tf.add(tf.mul(options.runningMean, 1 - momentum), tf.mul(mean, momentum)));
        options.runningVariance?.assign(
          tf.add(tf.mul(options.runningVariance, 1 - momentum), tf.mul(unbiased, momentum)),
        );
      });
    }
    return y;
  });
}
