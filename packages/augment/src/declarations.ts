/**
 * @selfsup/augment/declarations — the augmentation ops and presets as they declare themselves (id,
 * description, options with defaults, what they produce), by id: what the CLI validates, lists
 * and documents. Loads neither sharp nor tfjs: a declaration imports its augmentation when
 * `create` is called.
 */
import type { AugmentationDeclaration } from './augmentation-declaration.js';
import { byolPresetDeclaration } from './byol-preset-declaration.js';
import { centerCropDeclaration } from './center-crop-declaration.js';
import { colorJitterDeclaration } from './color-jitter-declaration.js';
import { dinoPresetDeclaration } from './dino-preset-declaration.js';
import { fashionMnistSimclrPresetDeclaration } from './fashion-mnist-simclr-preset-declaration.js';
import { gaussianBlurDeclaration } from './gaussian-blur-declaration.js';
import { gaussianNoiseDeclaration } from './gaussian-noise-declaration.js';
import { horizontalFlipDeclaration } from './horizontal-flip-declaration.js';
import { mocoV2PresetDeclaration } from './moco-v2-preset-declaration.js';
import { randomAutoContrastDeclaration } from './random-auto-contrast-declaration.js';
import { randomEqualizeDeclaration } from './random-equalize-declaration.js';
import { randomErasingDeclaration } from './random-erasing-declaration.js';
import { randomGrayscaleDeclaration } from './random-grayscale-declaration.js';
import { randomPosterizeDeclaration } from './random-posterize-declaration.js';
import { randomResizedCropDeclaration } from './random-resized-crop-declaration.js';
import { randomRotationDeclaration } from './random-rotation-declaration.js';
import { randomSolarizeDeclaration } from './random-solarize-declaration.js';
import { randomTranslationDeclaration } from './random-translation-declaration.js';
import { resizeDeclaration } from './resize-declaration.js';
import { simclrPresetDeclaration } from './simclr-preset-declaration.js';
import { verticalFlipDeclaration } from './vertical-flip-declaration.js';

export type { AugmentationContext, AugmentationDeclaration } from './augmentation-declaration.js';
export { BYOL_PRESET_DEFAULTS } from './byol-preset-declaration.js';
export { COLOR_JITTER_DEFAULTS } from './color-jitter-declaration.js';
export { DINO_PRESET_DEFAULTS } from './dino-preset-declaration.js';
export { GAUSSIAN_BLUR_DEFAULTS } from './gaussian-blur-declaration.js';
export { GAUSSIAN_NOISE_DEFAULTS } from './gaussian-noise-declaration.js';
export { FLIP_DEFAULTS } from './horizontal-flip-declaration.js';
export { MOCO_V2_PRESET_DEFAULTS } from './moco-v2-preset-declaration.js';
export { RANDOM_AUTO_CONTRAST_DEFAULTS } from './random-auto-contrast-declaration.js';
export { RANDOM_EQUALIZE_DEFAULTS } from './random-equalize-declaration.js';
export { RANDOM_ERASING_DEFAULTS } from './random-erasing-declaration.js';
export { RANDOM_GRAYSCALE_DEFAULTS } from './random-grayscale-declaration.js';
export { RANDOM_POSTERIZE_DEFAULTS } from './random-posterize-declaration.js';
export { RANDOM_RESIZED_CROP_DEFAULTS } from './random-resized-crop-declaration.js';
export { RANDOM_ROTATION_DEFAULTS } from './random-rotation-declaration.js';
export { RANDOM_SOLARIZE_DEFAULTS } from './random-solarize-declaration.js';
export { RANDOM_TRANSLATION_DEFAULTS } from './random-translation-declaration.js';
export { SIMCLR_PRESET_DEFAULTS } from './simclr-preset-declaration.js';

/**
 * The augmentations by id: ops (`color-jitter`), presets (`simclr`) and view makers (`byol`, `dino`).
 *
 * @example
 * const flip = await augmentationDeclarations['horizontal-flip'].create({ p: 0.5 }, { size: [32, 32], channels: 3 });
 */
export const augmentationDeclarations = {
  'random-resized-crop': randomResizedCropDeclaration,
  resize: resizeDeclaration,
  'center-crop': centerCropDeclaration,
  'horizontal-flip': horizontalFlipDeclaration,
  'vertical-flip': verticalFlipDeclaration,
  'color-jitter': colorJitterDeclaration,
  'random-grayscale': randomGrayscaleDeclaration,
  'gaussian-blur': gaussianBlurDeclaration,
  'random-solarize': randomSolarizeDeclaration,
  'random-posterize': randomPosterizeDeclaration,
  'random-auto-contrast': randomAutoContrastDeclaration,
  'random-equalize': randomEqualizeDeclaration,
  'random-rotation': randomRotationDeclaration,
  'random-translation': randomTranslationDeclaration,
  'gaussian-noise': gaussianNoiseDeclaration,
  'random-erasing': randomErasingDeclaration,
  simclr: simclrPresetDeclaration,
  'moco-v2': mocoV2PresetDeclaration,
  'fashion-mnist-simclr': fashionMnistSimclrPresetDeclaration,
  byol: byolPresetDeclaration,
  dino: dinoPresetDeclaration,
} satisfies Record<string, AugmentationDeclaration>;
