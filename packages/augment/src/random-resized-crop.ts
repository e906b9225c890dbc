import { type Rng, type Tensor4D, tf } from '@selfsup/backend';
import { type Augmentation, expectImageBatch, expectProbability, expectRange } from './augmentation.js';

export interface RandomResizedCropOptions {
  /** Output [height, width]. */
  size: [number, number];
  /** Fraction of the image area to crop (default [0.08, 1], torchvision's). */
  scale?: [number, number];
  /** Aspect ratio range w/h (default [3/4, 4/3]), sampled log-uniformly. */
  ratio?: [number, number];
  /** Probability of also flipping the crop horizontally, folded into the same resampling (default 0). */
  flipProbability?: number;
}

/** One crop in pixels (top, left, height, width) and as a normalized, corner-aligned tfjs box. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
  flipped: boolean;
  /** [y1, x1, y2, x2] for `tf.image.cropAndResize`; x1 > x2 when flipped. */
  box: [number, number, number, number];
}

/** A box covering pixels [top, top + h) × [left, left + w) with corner-aligned sampling. */
export function boxOf(
  top: number,
  left: number,
  h: number,
  w: number,
  height: number,
  width: number,
  flipped: boolean,
): CropBox {
  const y1 = height > 1 ? top / (height - 1) : 0;
  const y2 = height > 1 ? (top + h - 1) / (height - 1) : 0;
  const x1 = width > 1 ? left / (width - 1) : 0;
  const x2 = width > 1 ? (left + w - 1) / (width - 1) : 0;
  return { top, left, height: h, width: w, flipped, box: flipped ? [y1, x2, y2, x1] : [y1, x1, y2, x2] };
}

/**
 * Draws crop boxes exactly as torchvision's `RandomResizedCrop.get_params`: up to 10 tries of an
 * area fraction U(scale) and a log-uniform aspect ratio, integer sizes by rounding, a uniform
 * position; else the central crop clipped to the ratio range. Pure (no tensors), for tests and
 * previews.
 */
export function randomResizedCropBoxes(
  rng: Rng,
  count: number,
  height: number,
  width: number,
  options: Omit<RandomResizedCropOptions, 'size'> = {},
): CropBox[] {
  const [minScale, maxScale] = options.scale ?? [0.08, 1];
  const [minRatio, maxRatio] = options.ratio ?? [3 / 4, 4 / 3];
  const flipProbability = options.flipProbability ?? 0;
  const area = height * width;
  const boxes: CropBox[] = [];
  for (let n = 0; n < count; n++) {
    let crop: [number, number, number, number] | undefined;
    for (let attempt = 0; attempt < 10 && crop === undefined; attempt++) {
      const targetArea = area * rng.uniform(minScale, maxScale);
      const aspect = Math.exp(rng.uniform(Math.log(minRatio), Math.log(maxRatio)));
      const w = Math.round(Math.sqrt(targetArea * aspect));
      const h = Math.round(Math.sqrt(targetArea / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) crop = [rng.int(height - h + 1), rng.int(width - w + 1), h, w];
    }
    if (crop === undefined) {
      const inRatio = width / height;
      let w = width;
      let h = height;
      if (inRatio < minRatio) h = Math.round(w / minRatio);
      else if (inRatio > maxRatio) w = Math.round(h * maxRatio);
      crop = [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
    }
    const flipped = flipProbability > 0 && rng.bernoulli(flipProbability);
    boxes.push(boxOf(crop[0], crop[1], crop[2], crop[3], height, width, flipped));
  }
  return boxes;
}

/**
 * Random resized crop (Szegedy et al. 2015; torchvision's RandomResizedCrop), the core of every
 * SimCLR-style recipe: per sample a random area fraction and aspect ratio, resampled bilinearly to
 * `size` — all samples in one `cropAndResize` call, with an optional horizontal flip folded in.
 * Sampling is corner-aligned (TensorFlow's crop_and_resize) and not antialiased.
 *
 * @example const crop = randomResizedCrop({ size: [32, 32], scale: [0.2, 1], flipProbability: 0.5 });
 */
export function randomResizedCrop(options: RandomResizedCropOptions): Augmentation {
  const scale = options.scale ?? [0.08, 1];
  const ratio = options.ratio ?? [3 / 4, 4 / 3];
  expectRange('randomResizedCrop', 'scale', scale, 0);
  expectRange('randomResizedCrop', 'ratio', ratio, Number.MIN_VALUE);
  expectProbability('randomResizedCrop', 'flipProbability', options.flipProbability ?? 0);
  return (images, rng) => {
    expectImageBatch('randomResizedCrop', images);
    const [count, height, width] = images.shape;
    const boxes = randomResizedCropBoxes(rng, count, height, width, { ...options, scale, ratio });
    return tf.tidy(() =>
      tf.image.cropAndResize(
        images,
        tf.tensor2d(boxes.map((b) => b.box)),
        tf.tensor1d(
          boxes.map((_, i) => i),
          'int32',
        ),
        options.size,
        'bilinear',
      ),
    ) as Tensor4D;
  };
}
