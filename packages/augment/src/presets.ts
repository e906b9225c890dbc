import type { Augmentation } from './augmentation.js';
import { colorJitter, randomGrayscale, randomSolarize } from './color.js';
import { compose } from './combinators.js';
import { gaussianBlur } from './gaussian-blur.js';
import { twoViews, type ViewMaker, views } from './multi-view.js';
import { randomResizedCrop } from './random-resized-crop.js';

/** An odd blur kernel of about 10 % of the image side, at least 3 (SimCLR's rule). */
export function blurKernelFor(size: [number, number]): number {
  const side = Math.max(3, Math.round(0.1 * Math.min(size[0], size[1])));
  return side % 2 === 1 ? side : side + 1;
}

export interface SimclrPresetOptions {
  /** Output [height, width]. */
  size: [number, number];
  /** Color distortion strength s: jitter (0.8s, 0.8s, 0.8s, 0.2s) (default 1; SimCLR's CIFAR runs used 0.5). */
  strength?: number;
  /** 1 for grayscale data (only brightness and contrast jitter, no grayscale op), 3 for RGB (default 3). */
  channels?: 1 | 3;
  /** Gaussian blur with p = 0.5 (SimCLR uses it on ImageNet, not CIFAR). Default: on for images ≥ 64 px. */
  blur?: boolean;
  /** Crop area range (default [0.08, 1]). */
  scale?: [number, number];
}

/**
 * SimCLR's augmentation (Chen et al. 2020, appendix A): random resized crop with horizontal flip,
 * color jitter (0.8s, 0.8s, 0.8s, 0.2s) with p = 0.8, grayscale with p = 0.2, and Gaussian blur
 * (σ ∈ [0.1, 2], p = 0.5) on large images. `channels: 1` gives the grayscale-safe variant.
 */
export function simclrPreset(options: SimclrPresetOptions): Augmentation {
  const strength = options.strength ?? 1;
  const rgb = (options.channels ?? 3) === 3;
  const ops: Augmentation[] = [
    randomResizedCrop({ size: options.size, scale: options.scale ?? [0.08, 1], flipProbability: 0.5 }),
    colorJitter({
      brightness: 0.8 * strength,
      contrast: 0.8 * strength,
      saturation: rgb ? 0.8 * strength : 0,
      hue: rgb ? 0.2 * strength : 0,
      p: 0.8,
    }),
  ];
  if (rgb) ops.push(randomGrayscale({ p: 0.2 }));
  if (options.blur ?? Math.min(...options.size) >= 64)
    ops.push(gaussianBlur({ kernelSize: blurKernelFor(options.size), sigma: [0.1, 2], p: 0.5 }));
  return compose(...ops);
}

function byolView(
  size: [number, number],
  blurP: number,
  solarizeP: number,
  channels: 1 | 3,
  scale: [number, number],
): Augmentation {
  const rgb = channels === 3;
  const ops: Augmentation[] = [
    randomResizedCrop({ size, scale, flipProbability: 0.5 }),
    colorJitter({ brightness: 0.4, contrast: 0.4, saturation: rgb ? 0.2 : 0, hue: rgb ? 0.1 : 0, p: 0.8 }),
  ];
  if (rgb) ops.push(randomGrayscale({ p: 0.2 }));
  if (blurP > 0) ops.push(gaussianBlur({ kernelSize: blurKernelFor(size), sigma: [0.1, 2], p: blurP }));
  if (solarizeP > 0) ops.push(randomSolarize({ p: solarizeP, threshold: 0.5 }));
  return compose(...ops);
}

/**
 * BYOL's asymmetric views (Grill et al. 2020, table 6): both crop, flip, jitter (0.4, 0.4, 0.2,
 * 0.1) p = 0.8 and grayscale p = 0.2; view 1 always blurs and never solarizes, view 2 blurs with
 * p = 0.1 and solarizes with p = 0.2.
 */
export function byolPreset(options: { size: [number, number]; channels?: 1 | 3; scale?: [number, number] }): ViewMaker {
  const channels = options.channels ?? 3;
  const scale = options.scale ?? [0.08, 1];
  return twoViews(byolView(options.size, 1, 0, channels, scale), byolView(options.size, 0.1, 0.2, channels, scale));
}

/**
 * MoCo v2's augmentation (Chen et al. 2020, arXiv:2003.04297): crop with scale [0.2, 1], jitter
 * (0.4, 0.4, 0.4, 0.1) p = 0.8, grayscale p = 0.2, blur p = 0.5, flip.
 */
export function mocoV2Preset(options: { size: [number, number]; channels?: 1 | 3 }): Augmentation {
  const rgb = (options.channels ?? 3) === 3;
  const ops: Augmentation[] = [
    randomResizedCrop({ size: options.size, scale: [0.2, 1], flipProbability: 0.5 }),
    colorJitter({ brightness: 0.4, contrast: 0.4, saturation: rgb ? 0.4 : 0, hue: rgb ? 0.1 : 0, p: 0.8 }),
  ];
  if (rgb) ops.push(randomGrayscale({ p: 0.2 }));
  ops.push(gaussianBlur({ kernelSize: blurKernelFor(options.size), sigma: [0.1, 2], p: 0.5 }));
  return compose(...ops);
}

export interface DinoMultiCropOptions {
  /** Side of the two global crops (DINO: 224). */
  globalSize: [number, number];
  /** Side of the local crops (DINO: 96). */
  localSize: [number, number];
  /** Number of local crops (DINO: 6–10). */
  localCrops?: number;
  globalScale?: [number, number];
  localScale?: [number, number];
  channels?: 1 | 3;
}

/**
 * DINO's multi-crop (Caron et al. 2021): two global crops (scale [0.4, 1]; the first always
 * blurred, the second blurred with p = 0.1 and solarized with p = 0.2) and N local crops (scale
 * [0.05, 0.4], blur p = 0.5), all with flip, jitter (0.4, 0.4, 0.2, 0.1) p = 0.8 and grayscale
 * p = 0.2. Views come global first.
 */
export function dinoMultiCrop(options: DinoMultiCropOptions): ViewMaker {
  const channels = options.channels ?? 3;
  const globalScale = options.globalScale ?? [0.4, 1];
  const localScale = options.localScale ?? [0.05, 0.4];
  const pipelines = [
    byolView(options.globalSize, 1, 0, channels, globalScale),
    byolView(options.globalSize, 0.1, 0.2, channels, globalScale),
    ...Array.from({ length: options.localCrops ?? 6 }, () => byolView(options.localSize, 0.5, 0, channels, localScale)),
  ];
  return views(pipelines);
}

/**
 * The Fashion-MNIST recipe of `../shared/peer` (the PyTorch baseline selfsup is measured
 * against): crop area [0.3, 1] with flip, with p = 0.8 brightness ×U(0.6, 1.4) then contrast
 * ×U(0.6, 1.4) (fixed order), Gaussian blur 3×3 σ ∈ [0.1, 2] with p = 0.5. Crops follow
 * torchvision's sampling (the peer clamps instead of retrying; rare difference).
 */
export function fashionMnistSimclrPreset(options: { size?: [number, number] } = {}): Augmentation {
  const size = options.size ?? [28, 28];
  return compose(
    randomResizedCrop({ size, scale: [0.3, 1], flipProbability: 0.5 }),
    colorJitter({ brightness: 0.4, contrast: 0.4, p: 0.8, randomOrder: false }),
    gaussianBlur({ kernelSize: 3, sigma: [0.1, 2], p: 0.5 }),
  );
}
