import type { Rng, Tensor4D } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { roundHalfEven } from './per-sample.js';
import { RANDOM_RESIZED_CROP_DEFAULTS } from './random-resized-crop-declaration.js';
import { type CropBox, resizedCrop } from './resized-crop.js';
import { expectImageBatch, expectProbability, expectRange, expectSize } from './validation.js';

/** Options of {@link randomResizedCrop} (torchvision's `RandomResizedCrop` names and defaults). */
export interface RandomResizedCropOptions {
  /** Output `[height, width]`. */
  size: [number, number];
  /** Range of the crop area as a fraction of the image area (default: {@link RANDOM_RESIZED_CROP_DEFAULTS}). */
  scale?: [number, number];
  /** Range of the crop aspect ratio width/height, sampled log-uniformly (default: {@link RANDOM_RESIZED_CROP_DEFAULTS}). */
  ratio?: [number, number];
  /** Probability of mirroring the crop left–right, folded into the same resampling (default 0). */
  flipProbability?: number;
  /**
   * How boxes are drawn. `'torchvision'` (default): integer boxes exactly as torchvision's
   * `RandomResizedCrop.get_params` (10 tries, then the central crop clipped to the ratio range).
   * `'continuous'`: one try with fractional boxes whose sides are clamped to the image (as batched
   * PyTorch recipes draw them for `affine_grid`, e.g. `fashionMnistSimclrPreset`; it never falls
   * back, so large-scale crops keep their area distribution but not their aspect ratio).
   */
  sampling?: 'torchvision' | 'continuous';
}

function resolveOptions(options: Omit<RandomResizedCropOptions, 'size'>) {
  const scale = options.scale ?? RANDOM_RESIZED_CROP_DEFAULTS.scale;
  const ratio = options.ratio ?? RANDOM_RESIZED_CROP_DEFAULTS.ratio;
  const flipProbability = options.flipProbability ?? RANDOM_RESIZED_CROP_DEFAULTS.flipProbability;
  expectRange('randomResizedCrop', 'scale', scale, 0);
  expectRange('randomResizedCrop', 'ratio', ratio, Number.MIN_VALUE);
  expectProbability('randomResizedCrop', 'flipProbability', flipProbability);
  if (options.sampling !== undefined && options.sampling !== 'torchvision' && options.sampling !== 'continuous') {
    throw new Error(`randomResizedCrop: sampling must be 'torchvision' or 'continuous'; got ${options.sampling}`);
  }
  return { scale, ratio, flipProbability };
}

/**
 * Draws the crop boxes of {@link randomResizedCrop}: a pure function of the rng (no tensors), for
 * tests, previews and custom pipelines. Per sample, in order: the box draws, then one flip draw
 * when `flipProbability > 0`.
 *
 * `'torchvision'` sampling reproduces `RandomResizedCrop.get_params`: up to 10 tries of an area
 * `U(scale)·H·W` and a ratio `exp(U(log ratio))`, sides rounded half-to-even as Python does,
 * accepted when they fit, at a uniform integer position; else the central crop of the whole image
 * clipped to the ratio range.
 *
 * @param rng random stream (advanced).
 * @param count number of boxes (samples).
 * @param height source image height in pixels.
 * @param width source image width in pixels.
 * @returns `count` boxes in source pixels.
 * @example
 * const boxes = randomResizedCropBoxes(createRng(0), 256, 28, 28, { scale: [0.3, 1] });
 * const areas = boxes.map((b) => (b.height * b.width) / (28 * 28));
 * @throws if the ranges are malformed.
 */
export function randomResizedCropBoxes(
  rng: Rng,
  count: number,
  height: number,
  width: number,
  options: Omit<RandomResizedCropOptions, 'size'> = {},
): CropBox[] {
  const { scale, ratio, flipProbability } = resolveOptions(options);
  const [minScale, maxScale] = scale;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])] as const;
  const area = height * width;
  const boxes: CropBox[] = [];
  for (let n = 0; n < count; n++) {
    let box: CropBox | undefined;
    if (options.sampling === 'continuous') {
      const targetArea = area * rng.uniform(minScale, maxScale);
      const aspect = Math.exp(rng.uniform(logRatio[0], logRatio[1]));
      const w = Math.min(width, Math.sqrt(targetArea * aspect));
      const h = Math.min(height, Math.sqrt(targetArea / aspect));
      const left = rng.next() * (width - w);
      const top = rng.next() * (height - h);
      box = { top, left, height: h, width: w };
    } else {
      for (let attempt = 0; attempt < 10 && box === undefined; attempt++) {
        const targetArea = area * rng.uniform(minScale, maxScale);
        const aspect = Math.exp(rng.uniform(logRatio[0], logRatio[1]));
        const w = roundHalfEven(Math.sqrt(targetArea * aspect));
        const h = roundHalfEven(Math.sqrt(targetArea / aspect));
        if (w > 0 && w <= width && h > 0 && h <= height) {
          const top = rng.int(height - h + 1);
          const left = rng.int(width - w + 1);
          box = { top, left, height: h, width: w };
        }
      }
      if (box === undefined) {
        const inRatio = width / height;
        let w = width;
        let h = height;
        if (inRatio < Math.min(...ratio)) h = roundHalfEven(w / Math.min(...ratio));
        else if (inRatio > Math.max(...ratio)) w = roundHalfEven(h * Math.max(...ratio));
        box = { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
      }
    }
    box.flipped = flipProbability > 0 && rng.bernoulli(flipProbability);
    boxes.push(box);
  }
  return boxes;
}

/**
 * Random resized crop (Inception-style, Szegedy et al. 2015, arXiv:1409.4842; torchvision's
 * `RandomResizedCrop`), the first and strongest op of every SimCLR-style recipe: per sample a
 * random area fraction and aspect ratio, resampled bilinearly to `size`; all samples in one
 * `cropAndResize` call, with an optional horizontal flip folded into the same resampling.
 *
 * Shapes: `[N, H, W, C]` → `[N, size[0], size[1], C]`. Resampling as {@link resizedCrop}
 * (torchvision's half-pixel bilinear, no antialiasing; torchvision's PIL path antialiases and
 * DINO uses bicubic — both differ slightly).
 *
 * @example
 * const crop = randomResizedCrop({ size: [32, 32], scale: [0.2, 1], flipProbability: 0.5 });
 * const out = crop(images, rng); // [N, 32, 32, C]
 * @throws if `size`, `scale`, `ratio` or `flipProbability` are malformed.
 */
export function randomResizedCrop(options: RandomResizedCropOptions): Augmentation {
  expectSize('randomResizedCrop', 'size', options.size);
  resolveOptions(options);
  return (images: Tensor4D, rng: Rng) => {
    expectImageBatch('randomResizedCrop', images);
    const [count, height, width] = images.shape;
    return resizedCrop(images, randomResizedCropBoxes(rng, count, height, width, options), options.size);
  };
}
