import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from '../ops/batch-norm-training.js';
import { rowLogSumExp } from '../ops/row-log-sum-exp.js';
import { type ParityInput, randomValues } from './backend-parity.js';

/**
 * One op training runs, checked on a backend against cpu: its value and the gradient of
 * Σ value·u (u a fixed random upstream gradient) with respect to every float32 input.
 */
export interface TrainingOpCase {
  name: string;
  /** float32 inputs are differentiated; int32 ones (ids, labels, boxes' indices) are constants. */
  inputs: ParityInput[];
  op: (...inputs: tf.Tensor[]) => tf.Tensor;
  /** false for ops tfjs has no gradient for (crops, one-hot, argMax, dilated conv2d). */
  differentiable?: boolean;
  /** Indices of float32 inputs that are not differentiated (they feed comparisons). */
  constants?: readonly number[];
  /** Sizes of real steps: slow to compile on a software Vulkan (the Node webgpu test leaves them out). */
  large?: boolean;
}

function ints(shape: number[], values: number[]): ParityInput {
  return { shape, values: Int32Array.from(values) };
}

function floats(shape: number[], values: number[]): ParityInput {
  return { shape, values: Float32Array.from(values) };
}

let seed = 1000;
/** Random float32 values in [-1, 1), a new seed per call (the list is built once, in order). */
function random(...shape: number[]): ParityInput {
  seed += 1;
  return randomValues(shape, seed);
}

/** Two inverse maps for `image.transform`: a rotation and a projective one. */
const TRANSFORMS = [
  0.9271, -0.3746, 1.3129, 0.3746, 0.9271, -1.1317, 0, 0, 1.0713, 0.1127, 0.2917, -0.1289, 0.9613, 0.4123, 0.0107,
  -0.0231,
];

const as4d = (x: tf.Tensor) => x as tf.Tensor4D;
const as2d = (x: tf.Tensor) => x as tf.Tensor2D;

/** The models' GELU (tanh approximation, x·x·x as models/src/layers.ts writes it). */
function gelu(x: tf.Tensor): tf.Tensor {
  const cube = tf.mul(tf.mul(x, x), x);
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(x, tf.mul(cube, 0.044715)), Math.sqrt(2 / Math.PI)))));
}

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
}

/**
 * Every op the trainer, losses, models and tasks run forward and backward (and the forward-only
 * ones augmentations and tasks use), on shapes that reach each backend's special paths: channel
 * counts divisible by 4 and not (WebGPU's vec4 programs), strides 1 and 2, same/valid padding,
 * batched matrices with transposes.
 */
export const TRAINING_OP_CASES: readonly TrainingOpCase[] = [
  // Convolutions.
  {
    name: 'conv2d 3→4, stride 1, same',
    inputs: [random(2, 6, 6, 3), random(3, 3, 3, 4)],
    op: (x, w) => tf.conv2d(as4d(x), as4d(w), 1, 'same'),
  },
  {
    name: 'conv2d 4→8, stride 2, same (vec4)',
    inputs: [random(2, 8, 8, 4), random(3, 3, 4, 8)],
    op: (x, w) => tf.conv2d(as4d(x), as4d(w), 2, 'same'),
  },
  {
    name: 'conv2d 3→5, stride 2, valid',
    inputs: [random(2, 9, 9, 3), random(3, 3, 3, 5)],
    op: (x, w) => tf.conv2d(as4d(x), as4d(w), 2, 'valid'),
  },
  {
    name: 'conv2d 8→16, 1×1',
    inputs: [random(2, 5, 5, 8), random(1, 1, 8, 16)],
    op: (x, w) => tf.conv2d(as4d(x), as4d(w), 1, 'same'),
  },
  {
    name: 'conv2d 3→8, 7×7 stride 2 (ResNet stem)',
    inputs: [random(1, 16, 16, 3), random(7, 7, 3, 8)],
    op: (x, w) => tf.conv2d(as4d(x), as4d(w), 2, 'same'),
  },
  {
    name: 'conv2d dilation 2 (tfjs has no gradient for it)',
    inputs: [random(1, 9, 9, 4), random(3, 3, 4, 4)],
    op: (x, w) => tf.conv2d(as4d(x), as4d(w), 1, 'same', 'NHWC', 2),
    differentiable: false,
  },
  {
    name: 'conv2dTranspose stride 2 (decoder)',
    inputs: [random(2, 4, 4, 8), random(3, 3, 4, 8)],
    op: (x, w) => tf.conv2dTranspose(as4d(x), as4d(w), [2, 8, 8, 4], 2, 'same'),
  },
  {
    name: 'depthwiseConv2d stride 1',
    inputs: [random(2, 7, 7, 4), random(3, 3, 4, 1)],
    op: (x, w) => tf.depthwiseConv2d(as4d(x), as4d(w), 1, 'same'),
  },
  {
    name: 'depthwiseConv2d stride 2, multiplier 2',
    inputs: [random(2, 8, 8, 3), random(3, 3, 3, 2)],
    op: (x, w) => tf.depthwiseConv2d(as4d(x), as4d(w), 2, 'same'),
  },
  {
    name: 'separableConv2d',
    inputs: [random(2, 8, 8, 3), random(3, 3, 3, 2), random(1, 1, 6, 4)],
    op: (x, d, p) => tf.separableConv2d(as4d(x), as4d(d), as4d(p), 1, 'same'),
  },
  // Normalization.
  {
    name: 'batchNormTraining with ReLU',
    inputs: [random(4, 5, 5, 8), random(8), random(8)],
    op: (x, g, b) => batchNormTraining(x, g as tf.Tensor, b as tf.Tensor, { relu: true }),
  },
  {
    name: 'batchNormTraining [batch, features]',
    inputs: [random(6, 10), random(10), random(10)],
    op: (x, g, b) => batchNormTraining(x, g as tf.Tensor, b as tf.Tensor),
  },
  {
    name: 'moments + batchNorm',
    inputs: [random(4, 5, 5, 3), random(3), random(3)],
    op: (x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(as4d(x), mean, variance, b, g, 1e-5);
    },
  },
  {
    name: 'layer norm',
    inputs: [random(3, 6, 8), random(8), random(8)],
    op: (x, g, b) => layerNorm(x, g as tf.Tensor, b as tf.Tensor),
  },
  {
    name: 'l2 normalize rows (SimCLR projections)',
    inputs: [random(6, 16)],
    op: (x) => tf.div(x, tf.norm(x, 'euclidean', 1, true)),
  },
  // Dense layers and attention.
  {
    name: 'matMul + bias',
    inputs: [random(5, 7), random(7, 3), random(3)],
    op: (x, w, b) => tf.add(tf.matMul(as2d(x), as2d(w)), b),
  },
  {
    name: 'matMul transposeA',
    inputs: [random(7, 5), random(7, 3)],
    op: (a, b) => tf.matMul(as2d(a), as2d(b), true, false),
  },
  {
    name: 'matMul transposeB (similarity matrix)',
    inputs: [random(8, 16), random(8, 16)],
    op: (a, b) => tf.matMul(as2d(a), as2d(b), false, true),
  },
  {
    name: 'fused matMul + bias + relu',
    inputs: [random(6, 12), random(12, 8), random(8)],
    op: (x, w, b) => tf.fused.matMul({ a: as2d(x), b: as2d(w), bias: b, activation: 'relu' }),
  },
  {
    name: 'batchMatMul [2, 5, 8]·[2, 8, 4]',
    inputs: [random(2, 5, 8), random(2, 8, 4)],
    op: (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
  },
  {
    name: 'multi-head attention',
    inputs: [random(2, 5, 8), random(8, 24)],
    op: (x, w) => {
      const qkv = tf.reshape(tf.matMul(tf.reshape(x, [10, 8]), as2d(w)), [2, 5, 3, 2, 4]);
      const [q, k, v] = tf.unstack(tf.transpose(qkv, [2, 0, 3, 1, 4])) as [tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.matMul(tf.softmax(tf.div(tf.matMul(q, k, false, true), 2)), v);
    },
  },
  // Embeddings and classification.
  {
    name: 'gather (embedding; gradient UnsortedSegmentSum)',
    inputs: [random(11, 4), ints([2, 3], [1, 3, 3, 10, 0, 1])],
    op: (table, ids) => tf.gather(table, ids as tf.Tensor),
  },
  {
    name: 'gather on axis 1',
    inputs: [random(3, 6, 2), ints([4], [5, 0, 5, 2])],
    op: (x, ids) => tf.gather(x, ids as tf.Tensor, 1),
  },
  {
    name: 'unsortedSegmentSum',
    inputs: [random(6, 4), ints([6], [2, 0, 2, 4, 0, 2])],
    op: (x, ids) => tf.unsortedSegmentSum(x, ids as tf.Tensor1D, 5),
  },
  { name: 'softmax', inputs: [random(5, 7)], op: (x) => tf.softmax(x) },
  { name: 'logSoftmax', inputs: [random(5, 7)], op: (x) => tf.logSoftmax(x) },
  { name: 'logSumExp over rows', inputs: [random(6, 9)], op: (x) => tf.logSumExp(x, 1) },
  { name: 'rowLogSumExp', inputs: [random(6, 9)], op: (x) => rowLogSumExp(as2d(x)) },
  {
    name: 'rowLogSumExp without self (NT-Xent)',
    inputs: [random(6, 6)],
    op: (x) => rowLogSumExp(as2d(x), { bound: 1 }),
  },
  {
    name: 'cross-entropy through oneHot labels',
    inputs: [random(4, 5), ints([4], [0, 4, 2, 2])],
    op: (logits, labels) => tf.neg(tf.sum(tf.mul(tf.oneHot(labels as tf.Tensor1D, 5), tf.logSoftmax(logits)), 1)),
  },
  {
    name: 'sigmoid cross-entropy terms',
    inputs: [random(4, 6)],
    op: (x) => tf.add(tf.softplus(x), tf.mul(tf.sigmoid(x), 0.5)),
  },
  // Activations and elementwise math.
  { name: 'GELU (tanh form)', inputs: [random(4, 5)], op: (x) => gelu(x) },
  {
    name: 'erf, exp, log, sqrt, rsqrt',
    inputs: [random(4, 5)],
    op: (x) =>
      tf.add(
        tf.add(tf.erf(x), tf.exp(x)),
        tf.add(
          tf.log(tf.add(tf.abs(x), 0.5)),
          tf.add(tf.sqrt(tf.add(tf.square(x), 1)), tf.rsqrt(tf.add(tf.abs(x), 1))),
        ),
      ),
  },
  {
    name: 'relu, tanh, abs, neg',
    inputs: [random(4, 5)],
    op: (x) => tf.add(tf.add(tf.relu(x), tf.tanh(x)), tf.neg(tf.abs(x))),
  },
  {
    name: 'maximum, minimum, clipByValue',
    inputs: [random(4, 5), random(4, 5)],
    op: (a, b) => tf.add(tf.add(tf.maximum(a, b), tf.minimum(a, b)), tf.clipByValue(a, -0.5, 0.5)),
  },
  {
    name: 'squaredDifference, pow',
    inputs: [random(4, 5), random(4, 5)],
    op: (a, b) => tf.add(tf.squaredDifference(a, b), tf.pow(tf.add(tf.abs(a), 0.5), 3)),
  },
  {
    name: 'broadcast mul/div/sub',
    inputs: [random(3, 4, 5), random(5), random(4, 1)],
    op: (x, s, t) => tf.sub(tf.div(tf.mul(x, s), tf.add(tf.abs(t), 1)), t),
  },
  {
    name: 'where (masking)',
    inputs: [random(4, 6), random(4, 6), random(4, 6)],
    op: (a, b, c) => tf.where(tf.greater(c, 0), tf.mul(a, b), tf.neg(b)),
    constants: [2],
  },
  // Reductions.
  {
    name: 'sum and mean over leading axes',
    inputs: [random(4, 5, 6)],
    op: (x) => tf.add(tf.sum(x, [0, 1]), tf.mean(x, 0).mean(0)),
  },
  {
    name: 'mean over spatial axes (global average pooling)',
    inputs: [random(2, 5, 5, 4)],
    op: (x) => tf.mean(x, [1, 2]),
  },
  { name: 'max over rows', inputs: [random(5, 7)], op: (x) => tf.max(x, 1) },
  {
    name: 'variance (VICReg) and covariance',
    inputs: [random(8, 6)],
    op: (x) => {
      const centered = tf.sub(x, tf.mean(x, 0));
      return tf.add(tf.matMul(centered, centered, true, false), tf.sqrt(tf.add(tf.moments(x, 0).variance, 1e-4)));
    },
  },
  // Pooling.
  { name: 'maxPool 2×2 stride 2', inputs: [random(2, 6, 6, 3)], op: (x) => tf.maxPool(as4d(x), 2, 2, 'valid') },
  {
    name: 'maxPool 3×3 stride 2 same (overlapping)',
    inputs: [random(2, 7, 7, 4)],
    op: (x) => tf.maxPool(as4d(x), 3, 2, 'same'),
  },
  { name: 'avgPool 3×3 stride 2 same', inputs: [random(2, 6, 6, 3)], op: (x) => tf.avgPool(as4d(x), 3, 2, 'same') },
  // Shapes and data movement.
  { name: 'transpose 4-D', inputs: [random(2, 3, 4, 5)], op: (x) => tf.transpose(x, [0, 3, 1, 2]) },
  { name: 'transpose 5-D (patches)', inputs: [random(2, 2, 3, 2, 4)], op: (x) => tf.transpose(x, [0, 2, 1, 3, 4]) },
  {
    name: 'concat on axes 0 and 3',
    inputs: [random(2, 3, 3, 2), random(2, 3, 3, 3)],
    op: (a, b) => tf.concat([tf.concat([a, b], 3), tf.concat([b, a], 3)], 0),
  },
  { name: 'slice', inputs: [random(4, 6, 5)], op: (x) => tf.slice(x, [1, 2, 0], [2, 3, 4]) },
  {
    name: 'split into views',
    inputs: [random(6, 4)],
    op: (x) => {
      const [a, b, c] = tf.split(x, [1, 2, 3], 0) as [tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.concat([tf.mul(c, 2), b, tf.neg(a)], 0);
    },
  },
  {
    name: 'stack and unstack',
    inputs: [random(3, 4), random(3, 4)],
    op: (a, b) => {
      const rows = tf.unstack(a);
      return tf.stack([...rows.map((r, i) => tf.mul(r, i + 1)), tf.sum(b, 0)]);
    },
  },
  { name: 'tile', inputs: [random(2, 3, 1)], op: (x) => tf.tile(x, [2, 1, 4]) },
  {
    name: 'pad and reverse (flip)',
    inputs: [random(2, 4, 4, 3)],
    op: (x) =>
      tf.reverse(
        tf.pad(x, [
          [0, 0],
          [1, 2],
          [0, 1],
          [0, 0],
        ]),
        2,
      ),
  },
  {
    name: 'expandDims, squeeze, reshape',
    inputs: [random(4, 6)],
    op: (x) => tf.reshape(tf.squeeze(tf.expandDims(x, 1), [1]), [2, 12]),
  },
  {
    name: 'cast of a comparison (dropout mask)',
    inputs: [random(4, 6), random(4, 6)],
    op: (x, noise) => tf.mul(x, tf.div(tf.cast(tf.greater(noise, -0.3), 'float32'), 0.65)),
    constants: [1],
  },
  {
    name: 'resizeBilinear (upsample)',
    inputs: [random(2, 4, 4, 3)],
    op: (x) => tf.image.resizeBilinear(as4d(x), [7, 7]),
  },
  // Batch 2: tfjs-backend-cpu's own ResizeNearestNeighborGrad is wrong past the first sample (kernel-fixes.ts).
  {
    name: 'resizeNearestNeighbor',
    inputs: [random(2, 4, 4, 3)],
    op: (x) => tf.image.resizeNearestNeighbor(as4d(x), [8, 6]),
  },
  // Sizes of real training steps: they take other GPU programs than the small shapes (WebGPU's
  // tiled and split-K matMuls, its im2col convolution, multi-pass reductions).
  {
    name: 'conv2d [4,16,16,32]·[3,3,32,64], stride 2',
    inputs: [random(4, 16, 16, 32), random(3, 3, 32, 64)],
    large: true,
    op: (x, w) => tf.conv2d(as4d(x), as4d(w), 2, 'same'),
  },
  {
    name: 'conv2d [2,14,14,6]·[3,3,6,10]',
    inputs: [random(2, 14, 14, 6), random(3, 3, 6, 10)],
    large: true,
    op: (x, w) => tf.conv2d(as4d(x), as4d(w), 1, 'same'),
  },
  {
    name: 'batchNormTraining [8,16,16,32]',
    inputs: [random(8, 16, 16, 32), random(32), random(32)],
    large: true,
    op: (x, g, b) => batchNormTraining(x, g as tf.Tensor, b as tf.Tensor, { relu: true }),
  },
  {
    name: 'matMul [64,256]·[256,128]',
    inputs: [random(64, 256), random(256, 128)],
    large: true,
    op: (a, b) => tf.matMul(as2d(a), as2d(b)),
  },
  {
    name: 'matMul [4,2048]·[2048,8] (long inner dimension)',
    inputs: [random(4, 2048), random(2048, 8)],
    large: true,
    op: (a, b) => tf.matMul(as2d(a), as2d(b)),
  },
  {
    name: 'similarity [256,128]·[256,128]ᵀ and rowLogSumExp',
    inputs: [random(256, 128)],
    large: true,
    op: (z) => rowLogSumExp(tf.div(tf.matMul(as2d(z), as2d(z), false, true), 128) as tf.Tensor2D, { bound: 1 }),
  },
  {
    name: 'batchMatMul [4,64,32]·[4,32,64]',
    inputs: [random(4, 64, 32), random(4, 32, 64)],
    large: true,
    op: (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
  },
  { name: 'softmax [256,256]', inputs: [random(256, 256)], large: true, op: (x) => tf.softmax(tf.mul(x, 4)) },
  {
    name: 'sum and mean of [128,512]',
    inputs: [random(128, 512)],
    large: true,
    op: (x) => tf.add(tf.sum(x), tf.mean(tf.mean(x, 1))),
  },
  {
    name: 'gather 512 ids from [1000,64]',
    inputs: [
      random(1000, 64),
      ints(
        [512],
        Array.from({ length: 512 }, (_, i) => (i * 7919) % 1000),
      ),
    ],
    large: true,
    op: (table, ids) => tf.gather(table, ids as tf.Tensor),
  },
  {
    name: 'maxPool [4,32,32,16] 3×3 stride 2',
    inputs: [random(4, 32, 32, 16)],
    large: true,
    op: (x) => tf.maxPool(as4d(x), 3, 2, 'same'),
  },
  // Augmentations, tasks and evaluation.
  { name: 'addN', inputs: [random(4, 5), random(4, 5), random(4, 5)], op: (a, b, c) => tf.addN([a, b, c]) },
  // More inputs than a WebGPU shader stage may bind (a sum over a model's gradients).
  { name: 'addN of 20', inputs: Array.from({ length: 20 }, () => random(3, 4)), op: (...xs) => tf.addN(xs) },
  {
    name: 'linalg.bandPart (causal mask)',
    inputs: [random(6, 6)],
    op: (x) => tf.linalg.bandPart(x, -1, 0),
    differentiable: false,
  },
  {
    name: 'floor, round, step (posterize, solarize)',
    inputs: [random(3, 8)],
    op: (x) => tf.add(tf.add(tf.floor(tf.mul(x, 4.5)), tf.round(tf.mul(x, 3.3))), tf.step(x)),
    differentiable: false,
  },
  {
    name: 'tensorScatterUpdate (rows of a batch)',
    inputs: [random(5, 3, 2), random(2, 3, 2), ints([2, 1], [3, 1])],
    op: (x, updates, rows) => tf.tensorScatterUpdate(x, rows as tf.Tensor, updates),
    differentiable: false,
  },
  {
    name: 'denseBincount (equalize histograms)',
    inputs: [ints([3, 10], [0, 1, 1, 9, 4, 4, 4, 2, 7, 9, 5, 5, 5, 5, 0, 3, 3, 8, 8, 1, 2, 6, 6, 6, 9, 9, 0, 1, 2, 3])],
    op: (x) => tf.denseBincount(x as tf.Tensor2D, tf.tensor2d([], [0, 0], 'float32'), 10),
    differentiable: false,
  },
  { name: 'topk values (k-NN)', inputs: [random(6, 20)], op: (x) => tf.topk(x, 5).values, differentiable: false },
  { name: 'topk indices (k-NN)', inputs: [random(6, 20)], op: (x) => tf.topk(x, 5).indices, differentiable: false },
  // Maps whose source coordinates stay ≥ 8e-4 from .5 ties: WGSL's round goes to even, JavaScript's up.
  {
    name: 'image.transform bilinear (random rotation)',
    inputs: [random(2, 8, 8, 3), floats([2, 8], TRANSFORMS)],
    op: (x, m) => tf.image.transform(as4d(x), as2d(m), 'bilinear', 'constant', 0.5),
    differentiable: false,
  },
  {
    name: 'image.transform nearest',
    inputs: [random(2, 8, 8, 3), floats([2, 8], TRANSFORMS)],
    op: (x, m) => tf.image.transform(as4d(x), as2d(m), 'nearest', 'constant', 0),
    differentiable: false,
  },
  {
    name: 'isFinite, logicalAnd, all (input checks)',
    inputs: [floats([2, 3], [1, Number.NaN, 3, Number.POSITIVE_INFINITY, -2, 0])],
    op: (x) =>
      tf.concat([
        tf.cast(tf.isFinite(x), 'float32').reshape([-1]),
        tf.cast(tf.all(tf.logicalAnd(tf.isFinite(x), tf.greater(x, -5))), 'float32').reshape([1]),
      ]),
    differentiable: false,
  },
  // Forward only: crops, labels and indices.
  {
    name: 'cropAndResize bilinear (augmentations)',
    inputs: [
      random(2, 8, 8, 3),
      floats([3, 4], [0, 0, 1, 1, 0.1, 0.2, 0.7, 0.9, 0.3, 0.1, 0.8, 0.5]),
      ints([3], [0, 1, 1]),
    ],
    op: (x, boxes, boxInd) => tf.image.cropAndResize(as4d(x), as2d(boxes), boxInd as tf.Tensor1D, [5, 5]),
    differentiable: false,
  },
  {
    name: 'cropAndResize nearest',
    inputs: [random(2, 8, 8, 3), floats([2, 4], [0, 0, 1, 1, 0.2, 0.3, 0.6, 0.9]), ints([2], [1, 0])],
    op: (x, boxes, boxInd) => tf.image.cropAndResize(as4d(x), as2d(boxes), boxInd as tf.Tensor1D, [4, 6], 'nearest'),
    differentiable: false,
  },
  {
    name: 'oneHot',
    inputs: [ints([5], [0, 3, 1, 3, 2])],
    op: (ids) => tf.oneHot(ids as tf.Tensor1D, 4),
    differentiable: false,
  },
  {
    name: 'oneHot float32 with on/off values (label smoothing, equalize)',
    inputs: [ints([2, 3], [0, 3, 1, 3, 2, 0])],
    op: (ids) => tf.mul(tf.oneHot(ids as tf.Tensor2D, 4, 0.9, 0.025, 'float32'), 1.5),
    differentiable: false,
  },
  { name: 'argMax (accuracy)', inputs: [random(5, 7)], op: (x) => tf.argMax(x, 1), differentiable: false },
  { name: 'cumsum', inputs: [random(3, 6)], op: (x) => tf.cumsum(x, 1) },
];

/**
 * The computation a case is checked by: its value, then the gradient of Σ value·u with respect to
 * each float32 input, u a fixed random tensor of the value's shape.
 */
export function valueAndGradients(testCase: TrainingOpCase): (...tensors: tf.Tensor[]) => tf.Tensor[] {
  return (...tensors) => {
    const value = testCase.op(...tensors);
    if (testCase.differentiable === false) return [value];
    const upstream = randomValues(value.shape, 7);
    const u = tf.tensor(upstream.values, value.shape);
    const differentiated = tensors
      .map((t, i) => (t.dtype === 'float32' && !testCase.constants?.includes(i) ? i : -1))
      .filter((i) => i >= 0);
    const gradients = tf.grads((...free: tf.Tensor[]) => {
      const all = [...tensors];
      differentiated.forEach((index, k) => {
        all[index] = free[k] as tf.Tensor;
      });
      return tf.sum(tf.mul(testCase.op(...all), u));
    })(differentiated.map((i) => tensors[i] as tf.Tensor));
    return [value, ...gradients];
  };
}
