import type { Augmentation } from './augmentation.js';
import { colorJitter } from './color-jitter.js';
import { compose } from './compose.js';
import { blurKernelSize, gaussianBlur } from './gaussian-blur.js';
import { checkPresetOptions, type PresetOptions, presetPipeline } from './preset-options.js';
import { randomGrayscale } from './random-grayscale.js';
import { randomResizedCrop } from './random-resized-crop.js';
import { SIMCLR_PRESET_DEFAULTS } from './simclr-preset-declaration.js';
import { expectAtLeast, expectRange } from './validation.js';

/** Options of {@link simclrPreset}. */
export interface SimclrPresetOptions extends PresetOptions {
  /**
   * Color distortion strength s: jitter (0.8s, 0.8s, 0.8s, 0.2s) (default:
   * {@link SIMCLR_PRESET_DEFAULTS}; SimCLR's CIFAR-10 runs used 0.5).
   */
  strength?: number;
  /**
   * Gaussian blur with p = 0.5, kernel {@link blurKernelSize}(size), σ ∈ [0.1, 2]. SimCLR blurs on
   * ImageNet, not on CIFAR. Default: on for views of 64 px and more.
   */
  blur?: boolean;
  /** Crop area range (default: {@link SIMCLR_PRESET_DEFAULTS}). */
  scale?: [number, number];
}

/**
 * SimCLR's augmentation (Chen et al. 2020, arXiv:2002.05709, appendix A): random resized crop
 * (scale [0.08, 1], ratio [3/4, 4/3]) with horizontal flip p = 0.5, color jitter (0.8s, 0.8s,
 * 0.8s, 0.2s) applied with p = 0.8 in random order, grayscale p = 0.2, and Gaussian blur
 * (p = 0.5, kernel ~10 % of the side, σ ∈ [0.1, 2]) on large images. For 1-channel data the
 * jitter keeps brightness and contrast and there is no grayscale op (the grayscale-safe variant).
 *
 * The torchvision formulation of the paper's pseudo-code; SimCLR's TensorFlow code differs in
 * details (additive brightness, its own crop sampling).
 *
 * Shapes: `[N, H, W, C]` → `[N, size[0], size[1], C]`.
 *
 * @example
 * const makeViews = twoViews(simclrPreset({ size: [32, 32], strength: 0.5 })); // CIFAR-10 setting
 * @throws if size, strength or scale are malformed; at call time if `channels` does not match.
 */
export function simclrPreset(options: SimclrPresetOptions): Augmentation {
  checkPresetOptions('simclrPreset', options);
  const strength = options.strength ?? SIMCLR_PRESET_DEFAULTS.strength;
  expectAtLeast('simclrPreset', 'strength', strength, 0);
  const scale = options.scale ?? SIMCLR_PRESET_DEFAULTS.scale;
  expectRange('simclrPreset', 'scale', scale, 0, 1);
  const ops: Augmentation[] = [
    randomResizedCrop({ size: options.size, scale, flipProbability: 0.5 }),
    colorJitter({
      brightness: 0.8 * strength,
      contrast: 0.8 * strength,
      saturation: 0.8 * strength,
      hue: Math.min(0.5, 0.2 * strength),
      p: 0.8,
    }),
    randomGrayscale({ p: 0.2 }),
  ];
  if (options.blur ?? Math.min(...options.size) >= 64) {
    ops.push(gaussianBlur({ kernelSize: blurKernelSize(options.size), sigma: [0.1, 2], p: 0.5 }));
  }
  return presetPipeline('simclrPreset', options, compose(...ops));
}
