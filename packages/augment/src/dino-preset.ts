import type { ViewMaker } from './augmentation.js';
import { byolColorAndBlur } from './byol-preset.js';
import { DINO_PRESET_DEFAULTS } from './dino-preset-declaration.js';
import { multiCrop } from './multi-crop.js';
import { expectRange, expectSize } from './validation.js';

/** Options of {@link dinoPreset}. */
export interface DinoPresetOptions {
  /** Size of the 2 global crops (default: {@link DINO_PRESET_DEFAULTS}). */
  globalSize?: [number, number];
  /** Size of the local crops (default: {@link DINO_PRESET_DEFAULTS}). */
  localSize?: [number, number];
  /** Number of local crops (default: {@link DINO_PRESET_DEFAULTS}). */
  localCrops?: number;
  /** Area range of the global crops (default: {@link DINO_PRESET_DEFAULTS}). */
  globalScale?: [number, number];
  /** Area range of the local crops (default: {@link DINO_PRESET_DEFAULTS}). */
  localScale?: [number, number];
  /** 1 for grayscale data (brightness and contrast only, no grayscale op), 3 for RGB; default: follow the images. */
  channels?: 1 | 3;
}

/**
 * DINO's multi-crop augmentation (Caron et al. 2021, arXiv:2104.14294; `DataAugmentationDINO`):
 * 2 global crops (scale [0.4, 1]) and N local crops (scale [0.05, 0.4]), all with flip p = 0.5,
 * color jitter (0.4, 0.4, 0.2, 0.1) p = 0.8 and grayscale p = 0.2; global view 1 is always blurred,
 * global view 2 blurred with p = 0.1 and solarized with p = 0.2, local views blurred with p = 0.5.
 * Bilinear resampling (DINO uses bicubic) and a Gaussian kernel of ~10 % of the side (DINO's PIL
 * blur sizes its own kernel). Sizes are options: small datasets want e.g. 32/16.
 *
 * Shapes: `[N, H, W, C]` → 2 tensors `[N, …globalSize, C]`, then `localCrops` tensors `[N, …localSize, C]`.
 *
 * @example const [teacher1, teacher2, ...students] = dinoPreset({ globalSize: [64, 64], localSize: [32, 32] })(images, rng);
 * @throws if sizes, scales or the crop count are malformed; at call time if `channels` does not match.
 */
export function dinoPreset(options: DinoPresetOptions = {}): ViewMaker {
  const globalSize = options.globalSize ?? DINO_PRESET_DEFAULTS.globalSize;
  const localSize = options.localSize ?? DINO_PRESET_DEFAULTS.localSize;
  const globalScale = options.globalScale ?? DINO_PRESET_DEFAULTS.globalScale;
  const localScale = options.localScale ?? DINO_PRESET_DEFAULTS.localScale;
  expectSize('dinoPreset', 'globalSize', globalSize);
  expectSize('dinoPreset', 'localSize', localSize);
  expectRange('dinoPreset', 'globalScale', globalScale, 0, 1);
  expectRange('dinoPreset', 'localScale', localScale, 0, 1);
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 3) {
    throw new Error(`dinoPreset: channels must be 1 or 3; got ${options.channels}`);
  }
  const makeViews = multiCrop({
    global: {
      count: 2,
      size: globalSize,
      scale: globalScale,
      transforms: [byolColorAndBlur(globalSize, 1, 0), byolColorAndBlur(globalSize, 0.1, 0.2)],
    },
    local: {
      count: options.localCrops ?? DINO_PRESET_DEFAULTS.localCrops,
      size: localSize,
      scale: localScale,
      transforms: byolColorAndBlur(localSize, 0.5, 0),
    },
  });
  return (images, rng) => {
    if (options.channels !== undefined && images.shape[3] !== options.channels) {
      throw new Error(`dinoPreset: built for ${options.channels}-channel images; got ${images.shape[3]} channels`);
    }
    return makeViews(images, rng);
  };
}
