import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from '../src/ops/batch-norm-training.js';
import { createRng } from '../src/rng.js';
import { variableFromTensor } from '../src/variable-from-tensor.js';

/**
 * The reference encoder (the 28×28 Fashion-MNIST CNN, `createSmallCnn` in @selfsup/models), written
 * with raw tfjs ops so the backend benchmark needs no other selfsup package: 4 × [conv3×3 (no bias)
 * → batch norm (batch statistics) → ReLU, fused by `batchNormTraining`], widths 32-64-128-128,
 * strides 1-2-2-2, global average pool, then the projection MLP 128-128-64. NT-Xent (T = 0.5) on
 * two halves of the batch. `reference/reference_step.py` is the same step in PyTorch.
 */
export interface ReferenceNet {
  variables: tf.Variable[];
  loss(images: tf.Tensor4D): tf.Scalar;
  dispose(): void;
}

const WIDTHS = [32, 64, 128, 128];
const STRIDES = [1, 2, 2, 2];

function heNormal(rng: ReturnType<typeof createRng>, shape: number[], fanIn: number): tf.Variable {
  return variableFromTensor(rng.normalTensor(shape, 0, Math.sqrt(2 / fanIn)));
}

function ntXent(z: tf.Tensor2D, temperature: number): tf.Scalar {
  const twoN = z.shape[0];
  const n = twoN / 2;
  const normalized = tf.div(z, tf.maximum(tf.norm(z, 'euclidean', 1, true), 1e-12));
  const similarity = tf.div(tf.matMul(normalized, normalized, false, true), temperature);
  const masked = tf.sub(similarity, tf.mul(tf.eye(twoN), 1e9));
  const targets = tf.concat([tf.range(n, twoN, 1, 'int32'), tf.range(0, n, 1, 'int32')]);
  const logProbabilities = tf.logSoftmax(masked);
  const picked = tf.sum(tf.mul(logProbabilities, tf.oneHot(targets, twoN, 1, 0, 'float32')), 1);
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}

export function createReferenceNet(seed = 0, inChannels = 1): ReferenceNet {
  const rng = createRng(seed);
  const variables: tf.Variable[] = [];
  const convs: Array<{ filter: tf.Variable; gamma: tf.Variable; beta: tf.Variable; stride: number }> = [];
  let channels = inChannels;
  WIDTHS.forEach((width, i) => {
    const filter = heNormal(rng, [3, 3, channels, width], 9 * channels);
    const gamma = variableFromTensor(tf.ones([width]));
    const beta = variableFromTensor(tf.zeros([width]));
    convs.push({ filter, gamma, beta, stride: STRIDES[i] as number });
    variables.push(filter, gamma, beta);
    channels = width;
  });
  const w1 = heNormal(rng, [128, 128], 128);
  const b1 = variableFromTensor(tf.zeros([128]));
  const w2 = heNormal(rng, [128, 64], 128);
  const b2 = variableFromTensor(tf.zeros([64]));
  variables.push(w1, b1, w2, b2);
  return {
    variables,
    loss(images) {
      let h: tf.Tensor4D = images;
      for (const { filter, gamma, beta, stride } of convs) {
        h = batchNormTraining(tf.conv2d(h, filter as tf.Tensor4D, stride, 'same'), gamma, beta, {
          relu: true,
        }) as tf.Tensor4D;
      }
      const features = tf.mean(h, [1, 2]) as tf.Tensor2D;
      const hidden = tf.relu(tf.add(tf.matMul(features, w1), b1)) as tf.Tensor2D;
      const projection = tf.add(tf.matMul(hidden, w2), b2) as tf.Tensor2D;
      return ntXent(projection, 0.5) as tf.Scalar;
    },
    dispose() {
      tf.dispose(variables);
    },
  };
}

/** One Adam training step; returns the loss value. */
export function trainStep(net: ReferenceNet, optimizer: tf.Optimizer, images: tf.Tensor4D): number {
  const loss = optimizer.minimize(() => net.loss(images), true, net.variables);
  const value = (loss as tf.Scalar).dataSync()[0] as number;
  loss?.dispose();
  return value;
}
