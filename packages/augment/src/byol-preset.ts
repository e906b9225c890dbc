import type { Augmentation, ViewMaker } from './augmentation.js';
import { BYOL_PRESET_DEFAULTS } from './byol-preset-declaration.js';
import { colorJitter } from './color-jitter.js';
import { compose } from './compose.js';
import { blurKernelSize, gaussianBlur } from './gaussian-blur.js';
import { checkPresetOptions, type PresetOptions, presetPipeline } from './preset-options.js';
import { randomGrayscale } from './random-grayscale.js';
import { randomResizedCrop } from './random-resized-crop.js';
import { randomSolarize } from './random-solarize.js';
import { twoViews } from './two-views.js';
import { expectRange } from './validation.js';

/** Options of {@link byolPreset}. */
export interface ByolPresetOptions extends PresetOptions {
  /** Crop area range (default: {@link BYOL_PRESET_DEFAULTS}). */
  scale?: [number, number];
}

/**
 * The augmentation shared by BYOL's and DINO's views after the crop: color jitter (0.4, 0.4, 0.2,
 * 0.1) with p = 0.8, grayscale p = 0.2, blur with p = `blurP` (kernel ~10 % of the side,
 * σ ∈ [0.1, 2]), solarize with p = `solarizeP`.
 */
export function byolColorAndBlur(size: [number, number], blurP: number, solarizeP: number): Augmentation {
  const ops: Augmentation[] = [
    colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1, p: 0.8 }),
    randomGrayscale({ p: 0.2 }),
  ];
  if (blurP > 0) ops.push(gaussianBlur({ kernelSize: blurKernelSize(size), sigma: [0.1, 2], p: blurP }));
  if (solarizeP > 0) ops.push(randomSolarize({ p: solarizeP, threshold: 0.5 }));
  return compose(...ops);
}

/**
 * BYOL's asymmetric views (Grill et al. 2020, arXiv:2006.07733, table 6): both views take a random
 * resized crop with flip, color jitter (brightness 0.4, contrast 0.4, saturation 0.2, hue 0.1)
 * with p = 0.8 in random order and grayscale with p = 0.2; view 1 is always blurred and never
 * solarized, view 2 is blurred with p = 0.1 and solarized with p = 0.2. 1-channel data get the
 * grayscale-safe variant (brightness and contrast only).
 *
 * Shapes: `[N, H, W, C]` → `[view1, view2]`, each `[N, size[0], size[1], C]`.
 *
 * @example const [online, target] = byolPreset({ size: [96, 96] })(images, rng);
 * @throws if size or scale are malformed; at call time if `channels` does not match.
 */
export function byolPreset(options: ByolPresetOptions): ViewMaker {
  checkPresetOptions('byolPreset', options);
  const scale = options.scale ?? BYOL_PRESET_DEFAULTS.scale;
  expectRange('byolPreset', 'scale', scale, 0, 1);
  const view = (blurP: number, solarizeP: number) =>
    presetPipeline(
      'byolPreset',
      options,
      compose(
        randomResizedCrop({ size: options.size, scale, flipProbability: 0.5 }),
        byolColorAndBlur(options.size, blurP, solarizeP),
      ),
    );
  return twoViews(view(1, 0), view(0.1, 0.2));
}
