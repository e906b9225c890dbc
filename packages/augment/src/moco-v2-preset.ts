import type { Augmentation } from './augmentation.js';
import { colorJitter } from './color-jitter.js';
import { compose } from './compose.js';
import { blurKernelSize, gaussianBlur } from './gaussian-blur.js';
import { MOCO_V2_PRESET_DEFAULTS } from './moco-v2-preset-declaration.js';
import { checkPresetOptions, type PresetOptions, presetPipeline } from './preset-options.js';
import { randomGrayscale } from './random-grayscale.js';
import { randomResizedCrop } from './random-resized-crop.js';
import { expectRange } from './validation.js';

/** Options of {@link mocoV2Preset}. */
export interface MocoV2PresetOptions extends PresetOptions {
  /** Crop area range (default: {@link MOCO_V2_PRESET_DEFAULTS}). */
  scale?: [number, number];
  /** Gaussian blur with p = 0.5 (default: {@link MOCO_V2_PRESET_DEFAULTS}). */
  blur?: boolean;
}

/**
 * MoCo v2's augmentation (Chen, Fan, Girshick & He 2020, arXiv:2003.04297; `main_moco.py --aug-plus`):
 * random resized crop with scale [0.2, 1], color jitter (0.4, 0.4, 0.4, 0.1) with p = 0.8,
 * grayscale p = 0.2, Gaussian blur σ ∈ [0.1, 2] with p = 0.5, horizontal flip p = 0.5 (folded
 * into the crop; flip and blur commute). 1-channel data get the grayscale-safe variant.
 *
 * Shapes: `[N, H, W, C]` → `[N, size[0], size[1], C]`.
 *
 * @example const makeViews = twoViews(mocoV2Preset({ size: [224, 224] }));
 * @throws if size or scale are malformed; at call time if `channels` does not match.
 */
export function mocoV2Preset(options: MocoV2PresetOptions): Augmentation {
  checkPresetOptions('mocoV2Preset', options);
  const scale = options.scale ?? MOCO_V2_PRESET_DEFAULTS.scale;
  expectRange('mocoV2Preset', 'scale', scale, 0, 1);
  const ops: Augmentation[] = [
    randomResizedCrop({ size: options.size, scale, flipProbability: 0.5 }),
    colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8 }),
    randomGrayscale({ p: 0.2 }),
  ];
  if (options.blur ?? MOCO_V2_PRESET_DEFAULTS.blur) {
    ops.push(gaussianBlur({ kernelSize: blurKernelSize(options.size), sigma: [0.1, 2], p: 0.5 }));
  }
  return presetPipeline('mocoV2Preset', options, compose(...ops));
}
