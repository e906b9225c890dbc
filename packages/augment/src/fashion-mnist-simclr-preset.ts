import { type Rng, type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { compose } from './compose.js';
import { gaussianBlur } from './gaussian-blur.js';
import { perSample } from './per-sample.js';
import { randomResizedCrop } from './random-resized-crop.js';
import { expectImageBatch, expectSize } from './validation.js';

/** Options of {@link fashionMnistSimclrPreset}. */
export interface FashionMnistSimclrPresetOptions {
  /** Output `[height, width]` (default `[28, 28]`). */
  size?: [number, number];
}

/**
 * The recipe's jitter: with p = 0.8, brightness `y = x·b`, then contrast around the mean of the
 * brightened image over all pixels and channels, `(y − mean(y))·c + mean(y)`, b and c ~ U(0.6, 1.4),
 * clamped once at the end (torchvision's ColorJitter clamps after each step and uses luma; on
 * 1-channel images only the clamp differs). Computed as one fused expression
 * `clamp(b·c·x + b·(1 − c)·mean(x))`; unjittered samples get b = c = 1, an exact identity.
 * Draws per sample: apply, b, c.
 */
function brightnessThenContrast(images: Tensor4D, rng: Rng): Tensor4D {
  expectImageBatch('fashionMnistSimclrPreset', images);
  const count = images.shape[0];
  const scale: number[] = [];
  const meanWeight: number[] = [];
  for (let n = 0; n < count; n++) {
    const applied = rng.bernoulli(0.8);
    const b = rng.uniform(0.6, 1.4);
    const c = rng.uniform(0.6, 1.4);
    scale.push(applied ? b * c : 1);
    meanWeight.push(applied ? b * (1 - c) : 0);
  }
  return tf.tidy(() => {
    const mean = tf.mean(images, [1, 2, 3], true);
    return tf.clipByValue(
      tf.add(tf.mul(images, perSample(scale)), tf.mul(mean, perSample(meanWeight))),
      0,
      1,
    ) as Tensor4D;
  });
}

/**
 * The Fashion-MNIST SimCLR recipe of the PyTorch baseline selfsup's benchmarks and reference
 * pipeline compare against (in PyTorch: `bench/reference/fashion_mnist_augment.py` of this
 * package), reproduced op for op:
 *
 * 1. random resized crop with area U(0.3, 1) and aspect log-U(3/4, 4/3), sides clamped to the
 *    image, position uniform (`sampling: 'continuous'`, no torchvision retries), bilinear with
 *    half-pixel centers and border clamping (`grid_sample(align_corners=False, padding_mode='border')`),
 *    horizontal flip p = 0.5 folded in;
 * 2. with p = 0.8: brightness ×U(0.6, 1.4) then contrast ×U(0.6, 1.4) around the image mean, one
 *    clamp to [0, 1];
 * 3. Gaussian blur with p = 0.5, 3×3, σ ~ U(0.1, 2), reflect padding.
 *
 * Only the random streams differ from PyTorch's (seeded from selfsup's rng). For other 1-channel
 * data prefer {@link simclrPreset} with `channels: 1` (the paper's recipe).
 *
 * Shapes: `[N, H, W, C]` → `[N, size[0], size[1], C]`.
 *
 * @example const makeViews = twoViews(fashionMnistSimclrPreset()); // [N, 28, 28, 1] → two views
 * @throws if `size` is malformed.
 */
export function fashionMnistSimclrPreset(options: FashionMnistSimclrPresetOptions = {}): Augmentation {
  const size = options.size ?? [28, 28];
  expectSize('fashionMnistSimclrPreset', 'size', size);
  return compose(
    randomResizedCrop({ size, scale: [0.3, 1], ratio: [3 / 4, 4 / 3], flipProbability: 0.5, sampling: 'continuous' }),
    brightnessThenContrast,
    gaussianBlur({ kernelSize: 3, sigma: [0.1, 2], p: 0.5 }),
  );
}
