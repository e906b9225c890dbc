import { type Tensor, tf } from '@selfsup/backend';

/** Per-channel input standardization baked into an encoder: (x − mean) / std. */
export interface InputNormalization {
  mean: number[];
  std: number[];
}

/** Fashion-MNIST statistics in [0, 1]: mean and standard deviation of the training images' pixels. */
export const FASHION_MNIST_NORMALIZATION: InputNormalization = { mean: [0.286], std: [0.353] };

/** CIFAR-10 statistics, as the SimCLR/solo-learn CIFAR recipes use. */
export const CIFAR10_NORMALIZATION: InputNormalization = {
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.247, 0.2435, 0.2616],
};

export function checkNormalization(
  normalization: InputNormalization | undefined,
  channels: number,
  owner: string,
): void {
  if (normalization === undefined) return;
  if (normalization.mean.length !== channels || normalization.std.length !== channels) {
    throw new Error(
      `${owner}: normalization needs ${channels} mean and std values, got ${normalization.mean.length} and ${normalization.std.length}`,
    );
  }
  if (normalization.std.some((s) => !(s > 0)))
    throw new Error(`${owner}: normalization std values must be positive, got [${normalization.std}]`);
}

export function normalizeInput<T extends Tensor>(x: T, normalization: InputNormalization | undefined): T {
  if (normalization === undefined) return x;
  return tf.tidy(() => tf.div(tf.sub(x, normalization.mean), normalization.std) as T);
}

/** Checks that a batch has the per-example shape an encoder expects. */
export function checkInputShape(inputs: Tensor, inputShape: readonly number[], owner: string): void {
  const ok = inputs.rank === inputShape.length + 1 && inputShape.every((size, i) => inputs.shape[i + 1] === size);
  if (!ok) {
    throw new Error(`${owner}: expected inputs [batch, ${inputShape.join(', ')}], got [${inputs.shape.join(', ')}]`);
  }
}
