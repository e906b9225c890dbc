import { type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { GAUSSIAN_BLUR_DEFAULTS } from './gaussian-blur-declaration.js';
import { applyToSubset, drawMask } from './per-sample.js';
import { expectImageBatch, expectProbability, expectRange } from './validation.js';

/** Options of {@link gaussianBlur}. */
export interface GaussianBlurOptions {
  /** Odd kernel side; {@link blurKernelSize} gives SimCLR's ~10 % of the image side. */
  kernelSize: number;
  /** σ drawn per sample, uniformly from this range (default: {@link GAUSSIAN_BLUR_DEFAULTS}). */
  sigma?: [number, number];
  /** Probability of blurring a sample (default: {@link GAUSSIAN_BLUR_DEFAULTS}). */
  p?: number;
}

/**
 * SimCLR's blur kernel size for an output `[height, width]`: `2·⌊⌊0.1·side⌋ / 2⌋ + 1`, at least 3
 * (the official implementation's `kernel_size = image_size // 10` made odd: 23 for 224, 9 for 96,
 * 3 for 32). BYOL uses 23 for 224 too.
 *
 * @example blurKernelSize([224, 224]); // 23
 */
export function blurKernelSize(size: readonly [number, number]): number {
  const radius = Math.floor(Math.floor(0.1 * Math.min(size[0], size[1])) / 2);
  return Math.max(3, 2 * radius + 1);
}

/**
 * Normalized 1-D Gaussian taps, as torchvision's `_get_gaussian_kernel1d`: `exp(−x²/(2σ²))` at
 * x = −(k−1)/2 … (k−1)/2, divided by their sum.
 *
 * @example gaussianKernel1d(3, 1); // [0.274, 0.452, 0.274]
 * @throws if the size is not an odd positive integer or σ ≤ 0.
 */
export function gaussianKernel1d(kernelSize: number, sigma: number): number[] {
  expectKernelSize('gaussianKernel1d', kernelSize);
  if (!(sigma > 0 && Number.isFinite(sigma))) throw new Error(`gaussianKernel1d: sigma must be > 0; got ${sigma}`);
  const half = (kernelSize - 1) / 2;
  const taps = Array.from({ length: kernelSize }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const total = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / total);
}

function expectKernelSize(op: string, kernelSize: number): void {
  if (!Number.isInteger(kernelSize) || kernelSize < 1 || kernelSize % 2 === 0) {
    throw new Error(`${op}: kernelSize must be an odd positive integer; got ${kernelSize}`);
  }
}

/**
 * Taps the depthwise kernel is padded to: XNNPACK (tfjs's wasm backend) has fast single-pass
 * depthwise kernels for 3, 4, 9 and 25 taps and a slow generic path for others (a 5-tap column is
 * ~20× slower than a 9-tap one), so odd sizes are padded with exact zero taps.
 */
function fastTaps(kernelSize: number): number {
  if (tf.getBackend() !== 'wasm') return kernelSize;
  return [3, 9, 25].find((taps) => kernelSize <= taps) ?? kernelSize;
}

/** Source row of padded row i for a reflect pad of `reflect` (then clamped for zero-tap rows). */
function reflectIndices(extent: number, pad: number, reflect: number): number[] {
  return Array.from({ length: extent + 2 * pad }, (_, j) => {
    const i = j - pad;
    const clamped = Math.max(-reflect, Math.min(extent - 1 + reflect, i));
    return clamped < 0 ? -clamped : clamped >= extent ? 2 * (extent - 1) - clamped : clamped;
  });
}

/**
 * Blurs each sample with its own σ: a separable Gaussian (vertical then horizontal pass) with
 * reflect padding, as torchvision's `gaussian_blur`. The batch becomes the channels of one
 * depthwise convolution (`[1, H, W, N·C]` with `[k, 1, N·C, 1]` and `[1, k, N·C, 1]` filters), so a
 * batch of different σ costs two convolutions.
 *
 * @param images `[N, H, W, C]`.
 * @param kernelSize odd kernel side, with `(kernelSize − 1) / 2 < min(H, W)`.
 * @param sigmas one σ > 0 per sample.
 * @returns `[N, H, W, C]`; constant images stay constant, and the weights sum to 1.
 * @example const blurred = blurWithSigmas(images, 3, [0.5, 1.5]);
 * @throws on a bad kernel size, a kernel too large for reflect padding, or one σ per sample missing.
 */
export function blurWithSigmas(images: Tensor4D, kernelSize: number, sigmas: readonly number[]): Tensor4D {
  expectImageBatch('gaussianBlur', images);
  expectKernelSize('gaussianBlur', kernelSize);
  const [count, height, width, channels] = images.shape;
  const half = (kernelSize - 1) / 2;
  if (half >= height || half >= width) {
    throw new Error(`gaussianBlur: kernel ${kernelSize} is too large for ${height}×${width} images (reflect padding)`);
  }
  if (sigmas.length !== count)
    throw new Error(`gaussianBlur: needs one sigma per sample (${count}); got ${sigmas.length}`);
  if (half === 0) return tf.clone(images);
  const taps = fastTaps(kernelSize);
  const pad = (taps - 1) / 2;
  const offset = pad - half;
  const depth = count * channels;
  const values = new Float32Array(taps * depth);
  sigmas.forEach((sigma, n) => {
    gaussianKernel1d(kernelSize, sigma).forEach((tap, k) => {
      for (let c = 0; c < channels; c++) values[(k + offset) * depth + n * channels + c] = tap;
    });
  });
  return tf.tidy(() => {
    const stacked = tf.reshape(tf.transpose(images, [1, 2, 0, 3]), [1, height, width, depth]) as Tensor4D;
    const padded = tf.gather(
      tf.gather(stacked, reflectIndices(height, pad, half), 1),
      reflectIndices(width, pad, half),
      2,
    ) as Tensor4D;
    const vertical = tf.depthwiseConv2d(padded, tf.tensor4d(values, [taps, 1, depth, 1]), 1, 'valid');
    const both = tf.depthwiseConv2d(vertical, tf.tensor4d(values, [1, taps, depth, 1]), 1, 'valid');
    return tf.transpose(tf.reshape(both, [height, width, count, channels]), [2, 0, 1, 3]) as Tensor4D;
  });
}

/**
 * Gaussian blur with a random σ per sample, applied with probability p (SimCLR, Chen et al. 2020,
 * arXiv:2002.05709: kernel ~10 % of the side, σ ∈ [0.1, 2], p = 0.5; BYOL and DINO: p = 1.0 /
 * 0.1 on their two views). Separable, reflect padding, as torchvision's `GaussianBlur`; only the
 * chosen samples are convolved.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`.
 *
 * @example const blur = gaussianBlur({ kernelSize: blurKernelSize([96, 96]), sigma: [0.1, 2], p: 0.5 });
 * @throws on a bad kernel size, σ range or p; at call time if the kernel is too large for the images.
 */
export function gaussianBlur(options: GaussianBlurOptions): Augmentation {
  const sigma = options.sigma ?? GAUSSIAN_BLUR_DEFAULTS.sigma;
  const p = options.p ?? GAUSSIAN_BLUR_DEFAULTS.p;
  expectKernelSize('gaussianBlur', options.kernelSize);
  expectRange('gaussianBlur', 'sigma', sigma, Number.MIN_VALUE);
  expectProbability('gaussianBlur', 'p', p);
  return (images, rng) => {
    expectImageBatch('gaussianBlur', images);
    const mask = drawMask(rng, images.shape[0], p);
    const sigmas = mask.flatMap((chosen) => (chosen ? [rng.uniform(sigma[0], sigma[1])] : []));
    return applyToSubset(images, mask, (subset) => blurWithSigmas(subset, options.kernelSize, sigmas));
  };
}
