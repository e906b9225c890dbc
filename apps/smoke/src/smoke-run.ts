import {
  batchNormTraining,
  createRng,
  initBackend,
  type Tensor,
  type Tensor4D,
  tf,
  variableFromTensor,
} from '@selfsup/backend';
import { loadIdxImages } from '@selfsup/data';

export interface SmokeRunOptions {
  steps: number;
  batchSize: number;
  seed: number;
  log?: (line: string) => void;
}

export interface SmokeRunResult {
  backend: string;
  steps: number;
  firstLoss: number;
  lastLoss: number;
  imagesPerSecond: number;
  wallSeconds: number;
}

/**
 * Trains the reference encoder of ../shared/peer (4 × conv3×3-BN-ReLU, widths 32-64-128-128,
 * strides 1-2-2-2, global average pool) with a linear 10-class head, supervised, on the embedded
 * Fashion-MNIST subset for a few Adam steps, and reports the loss.
 */
export async function smokeRun(options: SmokeRunOptions): Promise<SmokeRunResult> {
  const log = options.log ?? (() => {});
  const info = await initBackend();
  const data = await loadIdxImages({ split: 'train' });
  const rng = createRng(options.seed);
  const variables: tf.Variable[] = [];
  const weight = (shape: number[], fanIn: number) => {
    const v = variableFromTensor(rng.normalTensor(shape, 0, Math.sqrt(2 / fanIn)));
    variables.push(v);
    return v;
  };
  const constant = (shape: number[], value: number) => {
    const v = variableFromTensor(tf.fill(shape, value));
    variables.push(v);
    return v;
  };
  const widths = [32, 64, 128, 128];
  const strides = [1, 2, 2, 2];
  const layers = widths.map((width, i) => {
    const inChannels = i === 0 ? 1 : (widths[i - 1] as number);
    return {
      filter: weight([3, 3, inChannels, width], 9 * inChannels),
      gamma: constant([width], 1),
      beta: constant([width], 0),
      stride: strides[i] as number,
    };
  });
  const head = weight([128, 10], 128);
  const bias = constant([10], 0);
  const optimizer = tf.train.adam(1e-3);
  const start = performance.now();
  const losses: number[] = [];
  for (let step = 0; step < options.steps; step++) {
    const indices = Array.from({ length: options.batchSize }, () => rng.int(data.count));
    const loss = optimizer.minimize(() => {
      const pixels = new Float32Array(options.batchSize * 784);
      indices.forEach((index, k) => {
        for (let p = 0; p < 784; p++) pixels[k * 784 + p] = (data.images[index * 784 + p] as number) / 255;
      });
      let h: Tensor = tf.tensor4d(pixels, [options.batchSize, 28, 28, 1]);
      for (const layer of layers) {
        h = batchNormTraining(
          tf.conv2d(h as Tensor4D, layer.filter as Tensor4D, layer.stride, 'same'),
          layer.gamma,
          layer.beta,
          { relu: true },
        );
      }
      const logits = tf.add(tf.matMul(tf.mean(h, [1, 2]), head), bias);
      const labels = tf.oneHot(
        tf.tensor1d(
          indices.map((i) => data.labels[i] as number),
          'int32',
        ),
        10,
      );
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    }, true);
    const value = (loss as tf.Scalar).dataSync()[0] as number;
    loss?.dispose();
    if (!Number.isFinite(value)) throw new Error(`smoke run: loss is ${value} at step ${step + 1}`);
    losses.push(value);
    log(`step ${String(step + 1).padStart(3)}/${options.steps}  loss ${value.toFixed(4)}`);
  }
  const wallSeconds = (performance.now() - start) / 1000;
  tf.dispose(variables);
  optimizer.dispose();
  return {
    backend: info.name,
    steps: options.steps,
    firstLoss: losses[0] as number,
    lastLoss: losses[losses.length - 1] as number,
    imagesPerSecond: (options.steps * options.batchSize) / wallSeconds,
    wallSeconds,
  };
}
