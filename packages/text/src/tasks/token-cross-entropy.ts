import { rowLogSumExp, type Scalar, type Tensor, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';

/**
 * Mean cross-entropy of logits [n, classes] against integer labels [n] (sparse: no one-hot of
 * n × classes is built — the label's logit is gathered). An empty batch (n = 0) gives 0, still
 * connected to the logits so gradients exist.
 */
export function sparseCrossEntropy(logits: Tensor2D, labels: Tensor1D): Scalar {
  return tf.tidy(() => {
    const [count, classes] = logits.shape;
    if (count === 0) {
      // Zero, still connected to the logits (wasm's reductions over empty tensors are undefined).
      return tf.mul(tf.sum(tf.concat([tf.reshape(logits, [-1]), tf.zeros([1])])), 0) as Scalar;
    }
    const rowStarts = tf.mul(tf.range(0, count, 1, 'int32'), tf.scalar(classes, 'int32'));
    const flatIndex = tf.add(rowStarts, tf.cast(labels, 'int32'));
    const picked = tf.gather(tf.reshape(logits, [-1]), flatIndex);
    // rowLogSumExp's gradient is softmax in one pass; tf.logSumExp's goes through max's, an Equal
    // over [count, classes] that cost a fifth of an MLM step on wasm.
    const perExample = tf.sub(rowLogSumExp(logits), picked);
    return tf.div(tf.sum(perExample), Math.max(count, 1)) as Scalar;
  });
}

/**
 * Fraction of rows whose argmax is the label (0 for an empty batch), a scalar `[]` tensor — a
 * task's metric, read with the step's others in one readback (`readScalars`).
 *
 * Shapes: logits `[n, classes]` (or `[…, classes]`), labels `[n]` (or `[…]`) → `[]`.
 */
export function sparseAccuracy(logits: Tensor, labels: Tensor): Scalar {
  if ((logits.shape[0] as number) === 0) return tf.scalar(0);
  return tf.tidy(
    () => tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(labels, 'int32')), 'float32')) as Scalar,
  );
}
