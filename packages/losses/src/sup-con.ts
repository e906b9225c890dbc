import {
  rowLogSumExp,
  type Scalar,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  tf,
} from '@selfsup/backend';
import { expectFloatTensor, expectPositive, finiteOrThrow, shapeText } from './input-checks.js';
import { l2Normalize } from './l2-normalize.js';
import type { LossOptions } from './loss-options.js';

/** Options of {@link supCon}. */
export interface SupConOptions extends LossOptions {
  /** Temperature τ > 0. Default 0.07 (the paper's and the official code's). */
  temperature?: number;
  /**
   * The official code multiplies the loss by τ / baseTemperature (its base_temperature is 0.07);
   * the paper's equation has no such factor. Default: equal to `temperature` (factor 1, the paper).
   */
  baseTemperature?: number;
}

/** Labels as int32 [N], from a tensor or an array, checked against the batch. */
function labelTensor(labels: Tensor1D | readonly number[], batch: number): Tensor1D {
  if (labels instanceof tf.Tensor) {
    if (labels.isDisposed) throw new Error('supCon: labels was disposed before the call');
    if (labels.rank !== 1 || labels.shape[0] !== batch) {
      throw new Error(`supCon: labels must be [${batch}] (one per sample); got ${shapeText(labels)}`);
    }
    return tf.cast(labels, 'int32') as Tensor1D;
  }
  if (!Array.isArray(labels)) throw new Error('supCon: labels must be a tensor [N] or an array of N integers');
  if (labels.length !== batch)
    throw new Error(`supCon: labels must be [${batch}] (one per sample); got [${labels.length}]`);
  const bad = labels.findIndex((label) => !Number.isInteger(label));
  if (bad >= 0) throw new Error(`supCon: labels must be integers; labels[${bad}] is ${labels[bad]}`);
  return tf.tensor1d(labels as number[], 'int32');
}

/**
 * Supervised contrastive loss (Khosla et al. 2020, arXiv:2004.11362), the L_out^sup form (eq. 2)
 * the paper recommends: the M = V·N embeddings, L2-normalized, are all anchors; the positives P(i)
 * of an anchor are the other embeddings with its label (its other views included); the
 * candidates A(i) are all embeddings but itself:
 *
 *   ℓ_i = −(1/|P(i)|) Σ_{p∈P(i)} log( exp(z_i·z_p/τ) / Σ_{a∈A(i)} exp(z_i·z_a/τ) ),
 *   loss = mean of ℓ_i over the anchors with |P(i)| > 0 (anchors without a positive are left out).
 *
 * With labels = sample index and two views it equals {@link ntXent}. Max-shifted log-sum-exp:
 * finite for zero vectors and small temperatures.
 *
 * @param features `[N, D]` (one view) or `[N, V, D]` (V views of each sample, sharing its label).
 * @param labels `[N]` integer class labels (int32 or float32 tensor, or an array).
 * @returns the mean loss over anchors that have a positive, a scalar; inputs are not disposed.
 * @example const loss = supCon(tf.stack([z1, z2], 1), labels, { temperature: 0.1 });
 * @throws on wrong shapes or non-integer labels, N < 2, τ ≤ 0, and — when the loss is checked —
 *   when no anchor has a positive (every label occurs once in a one-view batch) or the loss is NaN.
 */
export function supCon(
  features: Tensor2D | Tensor3D,
  labels: Tensor1D | readonly number[],
  options: SupConOptions = {},
): Scalar {
  expectFloatTensor('supCon', 'features', features);
  if (features.rank !== 2 && features.rank !== 3) {
    throw new Error(`supCon: features must be [N, D] or [N, views, D]; got ${shapeText(features)}`);
  }
  const batch = features.shape[0];
  if (batch < 2) throw new Error(`supCon: needs a batch of at least 2 samples; features is ${shapeText(features)}`);
  const temperature = options.temperature ?? 0.07;
  expectPositive('supCon', 'temperature', temperature);
  const baseTemperature = options.baseTemperature ?? temperature;
  expectPositive('supCon', 'baseTemperature', baseTemperature);
  const views = features.rank === 3 ? (features.shape[1] as number) : 1;
  const dim = features.shape[features.rank - 1] as number;
  const total = batch * views;
  const classes = labelTensor(labels, batch);

  const loss = tf.tidy(() => {
    // View-major rows [view 0 of every sample, view 1 of every sample, …], as the official code's
    // torch.cat(torch.unbind(features, dim=1)).
    const flat = (
      features.rank === 3 ? tf.reshape(tf.transpose(features, [1, 0, 2]), [total, dim]) : features
    ) as Tensor2D;
    const z = l2Normalize(flat);
    const logits = tf.matMul(tf.div(z, temperature), z, false, true) as Tensor2D; // 1/τ on the [M, D] factor
    const denominators = rowLogSumExp(logits, { bound: 1 / temperature });
    const rowLabels = views > 1 ? tf.tile(classes, [views]) : classes;
    const sameLabel = tf.cast(tf.equal(tf.expandDims(rowLabels, 1), tf.expandDims(rowLabels, 0)), 'float32');
    const positives = tf.sub(sameLabel, tf.oneHot(tf.range(0, total, 1, 'int32'), total, 1, 0, 'float32'));
    const positiveCount = tf.sum(positives, 1);
    const meanPositiveLogit = tf.div(tf.sum(tf.mul(positives, logits), 1), tf.maximum(positiveCount, 1));
    const hasPositive = tf.cast(tf.greater(positiveCount, 0), 'float32');
    const perAnchor = tf.mul(tf.sub(denominators, meanPositiveLogit), hasPositive);
    // 0/0 = NaN when no anchor has a positive: the finite check below turns that into an error.
    const mean = tf.div(tf.sum(perAnchor), tf.sum(hasPositive));
    return tf.mul(mean, temperature / baseTemperature) as Scalar;
  });
  const diagnose = () => {
    const counts = new Map<number, number>();
    for (const label of classes.dataSync()) counts.set(label, (counts.get(label) ?? 0) + 1);
    return views === 1 && [...counts.values()].every((c) => c === 1)
      ? 'no anchor has a positive: every label occurs once and there is one view (pass [N, views, D] or repeat classes)'
      : undefined;
  };
  try {
    return options.checkFinite === false
      ? loss
      : finiteOrThrow('supCon', loss, [['features', features as Tensor]], diagnose);
  } finally {
    classes.dispose();
  }
}
