import * as tf from '@tensorflow/tfjs';

type Tensor = tf.Tensor;
type Tensor1D = tf.Tensor1D;
type Tensor2D = tf.Tensor2D;

/**
 * log Σ_k exp(logits_ik) for every row i of `[rows, cols]` logits, max-shifted (no overflow at
 * temperatures like 0.05), with its gradient written out: ∂/∂logits_ik = dy_i·softmax_ik, one pass
 * over the matrix instead of tfjs's generic log-sum-exp gradient through `max`, which dominated
 * the backward pass of the contrastive losses and of cross-entropy over a large vocabulary (there
 * the max's gradient — an `Equal` of [rows, cols] against the broadcast row maxima — cost a fifth of
 * an MLM training step on wasm).
 *
 * @example
 * const lse = rowLogSumExp(logits); // [rows]; the loss's cross-entropy is lse − the label's logit
 *
 * With `withoutSelf` (square logits whose entries satisfy |logits| ≤ withoutSelf.bound) the
 * diagonal is left out — the softmax denominator of a loss whose anchors are also candidates
 * (NT-Xent, SupCon): it is pushed `2·bound + 1000` below every other entry, where exp underflows to
 * exactly 0. That keeps it finite, so 0·diagonal stays 0 and no NaN reaches a gradient.
 */
export function rowLogSumExp(logits: Tensor2D, withoutSelf?: { bound: number }): Tensor1D {
  const [rows, cols] = logits.shape;
  const op = tf.customGrad((...args) => {
    const x = args[0] as Tensor2D;
    const save = args[1] as (tensors: Tensor[]) => void;
    const masked =
      withoutSelf === undefined
        ? x
        : tf.sub(x, tf.oneHot(tf.range(0, rows, 1, 'int32'), cols, 2 * withoutSelf.bound + 1000, 0, 'float32'));
    const shift = tf.max(masked, 1, true);
    const result = tf.add(shift, tf.log(tf.sum(tf.exp(tf.sub(masked, shift)), 1, true))) as Tensor2D; // [rows, 1]
    save([masked, result]);
    return {
      value: tf.reshape(result, [rows]),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [savedMasked, savedResult] = saved as [Tensor2D, Tensor2D];
        return tf.mul(tf.reshape(dy as Tensor, [rows, 1]), tf.exp(tf.sub(savedMasked, savedResult)));
      },
    };
  });
  return op(logits) as Tensor1D;
}
