import { type Tensor4D, tf } from '@selfsup/backend';
import { type Augmentation, expectImageBatch, expectProbability, expectRange } from './augmentation.js';
import { applyToSubset, drawMask } from './per-sample.js';

export interface GaussianBlurOptions {
  /** Odd kernel side (SimCLR: about 10 % of the image side). */
  kernelSize: number;
  /** σ drawn per sample from this range (default [0.1, 2], SimCLR's). */
  sigma?: [number, number];
  /** Probability of blurring a sample (default 0.5). */
  p?: number;
}

/** Normalized 1-D Gaussian taps of an odd length for σ. */
export function gaussianKernel1d(kernelSize: number, sigma: number): number[] {
  const half = (kernelSize - 1) / 2;
  const taps = Array.from({ length: kernelSize }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const total = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / total);
}

/**
 * Blurs each images with its own σ (separable Gaussian, reflect padding as torchvision's
 * gaussian_blur). The batch becomes the channels of one depthwise convolution, so a batch of
 * different σ is two convolutions.
 */
export function blurWithSigmas(images: Tensor4D, kernelSize: number, sigmas: readonly number[]): Tensor4D {
  const [count, height, width, channels] = images.shape;
  const half = (kernelSize - 1) / 2;
  if (half >= height || half >= width)
    throw new Error(`gaussianBlur: kernel ${kernelSize} is too large for ${height}×${width} images (reflect padding)`);
  return tf.tidy(() => {
    const taps = sigmas.flatMap((sigma) => {
      const kernel = gaussianKernel1d(kernelSize, sigma);
      return Array.from({ length: channels }, () => kernel);
    });
    // Filters [K, 1, N·C, 1] and [1, K, N·C, 1]: depthwise channel n·C + c uses sample n's taps.
    const values = new Float32Array(kernelSize * count * channels);
    taps.forEach((kernel, channel) => {
      kernel.forEach((tap, k) => {
        values[k * count * channels + channel] = tap;
      });
    });
    const vertical = tf.tensor4d(values, [kernelSize, 1, count * channels, 1]);
    const horizontal = tf.tensor4d(values, [1, kernelSize, count * channels, 1]);
    const stacked = tf.reshape(tf.transpose(images, [1, 2, 0, 3]), [1, height, width, count * channels]) as Tensor4D;
    const padded = tf.mirrorPad(
      stacked,
      [
        [0, 0],
        [half, half],
        [half, half],
        [0, 0],
      ],
      'reflect',
    );
    const blurred = tf.depthwiseConv2d(tf.depthwiseConv2d(padded, vertical, 1, 'valid'), horizontal, 1, 'valid');
    return tf.transpose(tf.reshape(blurred, [height, width, count, channels]), [2, 0, 1, 3]) as Tensor4D;
  });
}

/**
 * Gaussian blur with a random σ per sample (SimCLR, BYOL, MoCo v2), applied with probability p.
 * @example const blur = gaussianBlur({ kernelSize: 3, sigma: [0.1, 2], p: 0.5 });
 */
export function gaussianBlur(options: GaussianBlurOptions): Augmentation {
  const sigma = options.sigma ?? [0.1, 2];
  const p = options.p ?? 0.5;
  if (!Number.isInteger(options.kernelSize) || options.kernelSize < 1 || options.kernelSize % 2 === 0) {
    throw new Error(`gaussianBlur: kernelSize must be an odd positive integer; got ${options.kernelSize}`);
  }
  expectRange('gaussianBlur', 'sigma', sigma, Number.MIN_VALUE);
  expectProbability('gaussianBlur', 'p', p);
  return (images, rng) => {
    expectImageBatch('gaussianBlur', images);
    const mask = drawMask(rng, images.shape[0], p);
    const sigmas = mask.map(() => rng.uniform(sigma[0], sigma[1]));
    return applyToSubset(images, mask, (subset) =>
      blurWithSigmas(
        subset,
        options.kernelSize,
        sigmas.filter((_, i) => mask[i]),
      ),
    );
  };
}
