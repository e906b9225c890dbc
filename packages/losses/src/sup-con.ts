import { type Scalar, type Tensor, type Tensor1D, tf } from '@selfsup/backend';
import { checkFinite } from './input-checks.js';
import { l2Normalize } from './l2-normalize.js';

export interface SupConOptions {
  /** Temperature τ (default 0.07, the official code's). */
  temperature?: number;
  checkFinite?: boolean;
}

/**
 * Supervised contrastive loss, the L_out form (Khosla et al. 2020, arXiv:2004.11362): every
 * embedding is an anchor; its positives are the other embeddings with the same label:
 *
 *   ℓ_i = −(1/|P(i)|) Σ_{p∈P(i)} log( exp(z_i·z_p/τ) / Σ_{a≠i} exp(z_i·z_a/τ) )
 *
 * averaged over anchors that have at least one positive.
 *
 * @param features [N, D] or [N, V, D] (V views of each sample, which share its label).
 * @param labels [N] integer class labels.
 * @throws when shapes disagree, no anchor has a positive, or the loss is not finite.
 */
export function supCon(features: Tensor, labels: Tensor1D, options: SupConOptions = {}): Scalar {
  if (features.rank !== 2 && features.rank !== 3)
    throw new Error(`supCon: features must be [N, D] or [N, V, D]; got [${features.shape}]`);
  if (labels.rank !== 1 || labels.shape[0] !== features.shape[0]) {
    throw new Error(`supCon: labels must be [${features.shape[0]}]; got [${labels.shape}]`);
  }
  const temperature = options.temperature ?? 0.07;
  const views = features.rank === 3 ? (features.shape[1] as number) : 1;
  const loss = tf.tidy(() => {
    const dim = features.shape[features.rank - 1] as number;
    // [V·N, D], view-major, as the official code's torch.cat(torch.unbind(features, 1)).
    const flat = features.rank === 3 ? tf.reshape(tf.transpose(features, [1, 0, 2]), [-1, dim]) : features;
    const z = l2Normalize(flat as tf.Tensor2D);
    const total = z.shape[0];
    const allLabels = tf.tile(tf.cast(labels, 'int32'), [views]);
    const self = tf.eye(total);
    const logProbabilities = tf.logSoftmax(
      tf.sub(tf.div(tf.matMul(z, z, false, true), temperature), tf.mul(self, 1e9)),
    );
    const positives = tf.sub(
      tf.cast(tf.equal(tf.expandDims(allLabels, 1), tf.expandDims(allLabels, 0)), 'float32'),
      self,
    );
    const counts = tf.sum(positives, 1);
    const hasPositive = tf.cast(tf.greater(counts, 0), 'float32');
    const anchors = tf.sum(hasPositive);
    const perAnchor = tf.div(tf.sum(tf.mul(positives, logProbabilities), 1), tf.maximum(counts, 1));
    return tf.neg(tf.div(tf.sum(tf.mul(perAnchor, hasPositive)), anchors)) as Scalar;
  });
  if (options.checkFinite === false) return loss;
  const anchors = tf.tidy(() => {
    const l = tf.cast(labels, 'int32');
    return views > 1
      ? labels.shape[0]
      : tf
          .sum(
            tf.cast(
              tf.greater(tf.sum(tf.cast(tf.equal(tf.expandDims(l, 1), tf.expandDims(l, 0)), 'int32'), 1), 1),
              'int32',
            ),
          )
          .dataSync()[0];
  });
  if (anchors === 0) {
    loss.dispose();
    throw new Error(
      'supCon: no anchor has a positive (every label occurs once); give at least two samples of a class or several views',
    );
  }
  return checkFinite('supCon', loss, { features });
}
