import { type Scalar, type Tensor, type Tensor1D, tf } from '@selfsup/backend';
import type { TaskBatch } from '@selfsup/pretext';

/** Softmax cross-entropy of logits [N, classes] against integer labels [N]. */
export function classificationLoss(outputs: Tensor, targets: Tensor, classes: number): Scalar {
  return tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(targets as Tensor1D, classes), outputs) as Scalar);
}

/** Fraction of rows whose argmax is the label, a scalar `[]` (read with the step's other metrics in one readback). Shapes: outputs `[N, classes]`, targets `[N]`. */
export function classificationAccuracy(outputs: Tensor, targets: Tensor): Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(outputs, 1), targets), 'float32')) as Scalar);
}

/** The loss and metrics of a task that classifies each example: logits [N, classes] against labels [N]. */
export interface FrameClassification {
  loss(outputs: Tensor, batch: TaskBatch): Scalar;
  metrics(outputs: Tensor, batch: TaskBatch): Record<string, Scalar>;
}

/**
 * A frame-order task's objective when it names one of `classes` answers per example (an order, a
 * position, a direction): softmax cross-entropy as the loss, the accuracy as the one metric,
 * logged under `accuracyMetric`.
 *
 * @example
 * const { loss, metrics } = frameClassification(12, 'orderAccuracy');
 */
export function frameClassification(classes: number, accuracyMetric: string): FrameClassification {
  return {
    loss: (outputs, batch) => classificationLoss(outputs, batch.targets, classes),
    metrics: (outputs, batch) => ({ [accuracyMetric]: classificationAccuracy(outputs, batch.targets) }),
  };
}
