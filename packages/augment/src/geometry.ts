import { type Tensor4D, tf } from '@selfsup/backend';
import { type Augmentation, expectImageBatch, expectProbability, expectRange } from './augmentation.js';
import { drawMask, selectSamples } from './per-sample.js';
import { boxOf } from './random-resized-crop.js';

/** Flips each sample left–right with probability p (default 0.5). */
export function horizontalFlip(options: { p?: number } = {}): Augmentation {
  const p = options.p ?? 0.5;
  expectProbability('horizontalFlip', 'p', p);
  return (images, rng) => {
    expectImageBatch('horizontalFlip', images);
    const mask = drawMask(rng, images.shape[0], p);
    return tf.tidy(() => selectSamples(mask, tf.reverse(images, 2) as Tensor4D, images));
  };
}

/** Flips each sample top–bottom with probability p (default 0.5). */
export function verticalFlip(options: { p?: number } = {}): Augmentation {
  const p = options.p ?? 0.5;
  expectProbability('verticalFlip', 'p', p);
  return (images, rng) => {
    expectImageBatch('verticalFlip', images);
    const mask = drawMask(rng, images.shape[0], p);
    return tf.tidy(() => selectSamples(mask, tf.reverse(images, 1) as Tensor4D, images));
  };
}

/**
 * Applies one projective transform per sample with `tf.image.transform` (bilinear, constant fill).
 * `inverse(n)` gives the 8 coefficients mapping output pixel (x, y) to input pixel coordinates.
 */
function transformEach(images: Tensor4D, coefficients: number[][], fill: number): Tensor4D {
  return tf.tidy(() =>
    tf.image.transform(images, tf.tensor2d(coefficients, [coefficients.length, 8]), 'bilinear', 'constant', fill),
  ) as Tensor4D;
}

/**
 * Rotates each sample by an angle drawn uniformly from `degrees` (counter-clockwise as displayed,
 * like torchvision's RandomRotation) about its center, bilinearly, filling with `fill`.
 */
export function randomRotation(options: { degrees: [number, number] | number; fill?: number }): Augmentation {
  const range: [number, number] =
    typeof options.degrees === 'number' ? [-options.degrees, options.degrees] : options.degrees;
  expectRange('randomRotation', 'degrees', range);
  return (images, rng) => {
    expectImageBatch('randomRotation', images);
    const [count, height, width] = images.shape;
    const cx = (width - 1) / 2;
    const cy = (height - 1) / 2;
    const coefficients = Array.from({ length: count }, () => {
      const theta = (rng.uniform(range[0], range[1]) * Math.PI) / 180;
      const cos = Math.cos(theta);
      const sin = Math.sin(theta);
      // Output (x, y) samples the input at R(−θ) about the center (y grows downwards).
      return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy, 0, 0];
    });
    return transformEach(images, coefficients, options.fill ?? 0);
  };
}

/**
 * Shifts each sample by up to `fraction` of its width and height (uniform, in pixels rounded as
 * torchvision's RandomAffine translate), filling with `fill`.
 */
export function randomTranslation(options: { fraction: [number, number]; fill?: number }): Augmentation {
  const [fx, fy] = options.fraction;
  if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1))
    throw new Error(`randomTranslation: fraction must be in [0, 1]; got [${options.fraction}]`);
  return (images, rng) => {
    expectImageBatch('randomTranslation', images);
    const [count, height, width] = images.shape;
    const coefficients = Array.from({ length: count }, () => {
      const dx = Math.round(rng.uniform(-fx * width, fx * width));
      const dy = Math.round(rng.uniform(-fy * height, fy * height));
      return [1, 0, -dx, 0, 1, -dy, 0, 0];
    });
    return transformEach(images, coefficients, options.fill ?? 0);
  };
}

/** Crops the central [height, width] region (deterministic). */
export function centerCrop(size: [number, number]): Augmentation {
  return (images) => {
    expectImageBatch('centerCrop', images);
    const [, height, width] = images.shape;
    if (size[0] > height || size[1] > width)
      throw new Error(`centerCrop: crop ${size.join('×')} is larger than the images (${height}×${width})`);
    return tf.slice(
      images,
      [0, Math.floor((height - size[0]) / 2), Math.floor((width - size[1]) / 2), 0],
      [-1, size[0], size[1], -1],
    ) as Tensor4D;
  };
}

/** Resizes to [height, width], bilinearly (half-pixel centers, as torchvision's tensor resize without antialiasing). */
export function resize(size: [number, number]): Augmentation {
  return (images) => {
    expectImageBatch('resize', images);
    return tf.image.resizeBilinear(images, size, false, true) as Tensor4D;
  };
}

/** A fixed crop box as cropAndResize sees it (exported for the crop tests). */
export { boxOf };
