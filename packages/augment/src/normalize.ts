import { type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { expectImageBatch } from './validation.js';

/** Per-channel statistics for {@link normalize} and {@link denormalize}. */
export interface NormalizeOptions {
  /** One mean per channel (ImageNet: [0.485, 0.456, 0.406]; Fashion-MNIST: [0.2860]). */
  mean: number[];
  /** One standard deviation per channel, each > 0 (ImageNet: [0.229, 0.224, 0.225]; Fashion-MNIST: [0.3530]). */
  std: number[];
}

function check(op: string, options: NormalizeOptions): void {
  if (options.mean.length !== options.std.length || options.mean.length === 0) {
    throw new Error(
      `${op}: mean and std need one value per channel; got ${options.mean.length} and ${options.std.length}`,
    );
  }
  if (!options.mean.every(Number.isFinite) || !options.std.every((s) => Number.isFinite(s) && s > 0)) {
    throw new Error(`${op}: mean must be finite and std > 0; got mean [${options.mean}], std [${options.std}]`);
  }
}

function channelTensor(values: number[], channels: number): Tensor4D {
  return tf.tensor4d(values, [1, 1, 1, channels], 'float32');
}

function expectChannels(op: string, images: Tensor4D, options: NormalizeOptions): void {
  if (options.mean.length !== images.shape[3]) {
    throw new Error(
      `${op}: images have ${images.shape[3]} channels but ${options.mean.length} mean/std values were given`,
    );
  }
}

/**
 * An op of per-channel statistics: checks them and each batch, and hands `affine` the mean and std
 * as numbers for one channel (scalar ops, the fast path) or as [1, 1, 1, C] tensors.
 */
function perChannelAffine(
  op: string,
  options: NormalizeOptions,
  affine: (images: Tensor4D, mean: number | Tensor4D, std: number | Tensor4D) => Tensor,
): Augmentation {
  check(op, options);
  return (images) => {
    expectImageBatch(op, images);
    expectChannels(op, images, options);
    const channels = images.shape[3];
    return tf.tidy(() =>
      channels === 1
        ? (affine(images, options.mean[0] as number, options.std[0] as number) as Tensor4D)
        : (affine(images, channelTensor(options.mean, channels), channelTensor(options.std, channels)) as Tensor4D),
    );
  };
}

/**
 * Per-channel standardization `(x − mean_c) / std_c` (torchvision's `Normalize`), usually the
 * last step before an encoder. The output is no longer in [0, 1].
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const out = normalize({ mean: [0.2860], std: [0.3530] })(images, rng); // Fashion-MNIST
 * @throws if mean and std differ in length, a std is ≤ 0, or C differs from their length.
 */
export function normalize(options: NormalizeOptions): Augmentation {
  return perChannelAffine('normalize', options, (images, mean, std) => tf.div(tf.sub(images, mean), std));
}

/**
 * The inverse of {@link normalize}: `x·std_c + mean_c`, e.g. to look at normalized batches.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const images = denormalize(stats)(normalize(stats)(batch, rng), rng); // ≈ batch
 * @throws as {@link normalize}.
 */
export function denormalize(options: NormalizeOptions): Augmentation {
  return perChannelAffine('denormalize', options, (images, mean, std) => tf.add(tf.mul(images, std), mean));
}
