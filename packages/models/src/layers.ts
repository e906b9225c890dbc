import { batchNormTraining, type Tensor, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import type { ForwardMode } from './module.js';
import type { ParameterStore, WeightInit } from './parameters.js';

/** A 2-D convolution (NHWC) without bias — batch norm follows it in every encoder here. */
export function conv2dLayer(
  store: ParameterStore,
  name: string,
  options: { kernelSize: number; inChannels: number; outChannels: number; stride: number; init?: WeightInit },
) {
  const { kernelSize, inChannels, outChannels, stride } = options;
  const fanIn = kernelSize * kernelSize * inChannels;
  const filter = store.weight(
    `${name}/kernel`,
    [kernelSize, kernelSize, inChannels, outChannels],
    options.init === 'fan-in-uniform' ? { kind: 'fanInUniform', fanIn } : { kind: 'heNormal', fanIn },
  );
  return (x: Tensor4D): Tensor4D => tf.conv2d(x, filter as Tensor4D, stride, 'same');
}

/**
 * Batch normalization over all axes but the last (Ioffe & Szegedy 2015), PyTorch's conventions:
 * ε = 1e-5, running statistics with momentum 0.1 and the unbiased variance. Training uses batch
 * statistics (fused with the optional ReLU on wasm); evaluation the running ones.
 */
export function batchNormLayer(
  store: ParameterStore,
  name: string,
  channels: number,
  options: { relu?: boolean; epsilon?: number; momentum?: number } = {},
) {
  const gamma = store.weight(`${name}/gamma`, [channels], { kind: 'constant', value: 1 });
  const beta = store.weight(`${name}/beta`, [channels], { kind: 'constant', value: 0 });
  const runningMean = store.stateVariable(`${name}/running_mean`, [channels], 0);
  const runningVariance = store.stateVariable(`${name}/running_variance`, [channels], 1);
  const epsilon = options.epsilon ?? 1e-5;
  const relu = options.relu ?? false;
  return <T extends Tensor>(x: T, mode: ForwardMode): T => {
    if (mode.training) {
      return batchNormTraining(x, gamma, beta, {
        relu,
        epsilon,
        runningMean,
        runningVariance,
        momentum: options.momentum ?? 0.1,
      }) as T;
    }
    return tf.tidy(() => {
      const normalized = tf.add(
        tf.mul(tf.mul(tf.sub(x, runningMean), tf.rsqrt(tf.add(runningVariance, epsilon))), gamma),
        beta,
      );
      return (relu ? tf.relu(normalized) : normalized) as T;
    });
  };
}

/**
 * A fully connected layer: x·W + b. With `he-normal` (default) W is He-normal when a ReLU follows,
 * Glorot-uniform otherwise, and b starts at 0; with `fan-in-uniform` both are U(±1/√inputSize).
 */
export function denseLayer(
  store: ParameterStore,
  name: string,
  options: { inputSize: number; outputSize: number; bias?: boolean; reluFollows?: boolean; init?: WeightInit },
) {
  const { inputSize, outputSize } = options;
  const fanInUniform = options.init === 'fan-in-uniform';
  const kernel = store.weight(
    `${name}/kernel`,
    [inputSize, outputSize],
    fanInUniform
      ? { kind: 'fanInUniform', fanIn: inputSize }
      : options.reluFollows
        ? { kind: 'heNormal', fanIn: inputSize }
        : { kind: 'glorotUniform', fanIn: inputSize, fanOut: outputSize },
  );
  const bias =
    options.bias === false
      ? undefined
      : store.weight(
          `${name}/bias`,
          [outputSize],
          fanInUniform ? { kind: 'fanInUniform', fanIn: inputSize } : { kind: 'constant', value: 0 },
        );
  return <T extends Tensor>(x: T): T =>
    tf.tidy(() => {
      const flat = x.rank === 2 ? (x as unknown as Tensor2D) : (tf.reshape(x, [-1, inputSize]) as Tensor2D);
      let y: Tensor = tf.matMul(flat, kernel as Tensor2D);
      if (bias !== undefined) y = tf.add(y, bias);
      return (x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), outputSize])) as T;
    });
}

/** Layer normalization over the last axis (Ba et al. 2016), ε = 1e-6 as ViT. */
export function layerNormLayer(store: ParameterStore, name: string, size: number, epsilon = 1e-6) {
  const gamma = store.weight(`${name}/gamma`, [size], { kind: 'constant', value: 1 });
  const beta = store.weight(`${name}/beta`, [size], { kind: 'constant', value: 0 });
  return <T extends Tensor>(x: T): T =>
    tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta) as T;
    });
}

/** GELU, tanh approximation (Hendrycks & Gimpel 2016), written with x·x·x: wasm's Pow is slow. */
export function gelu<T extends Tensor>(x: T): T {
  return tf.tidy(() => {
    const cube = tf.mul(tf.mul(x, x), x);
    const inner = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), Math.sqrt(2 / Math.PI));
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1)) as T;
  });
}
