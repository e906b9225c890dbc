/**
 * @selfsup/augment — batched, seeded image augmentations on TensorFlow.js tensors (the SimCLR,
 * BYOL, MoCo v2 and DINO recipes) and image IO with sharp.
 *
 * Every augmentation is a function `(images [N, H, W, C] in [0, 1], rng) → new tensor` that draws
 * its parameters per sample from the seeded rng; see {@link Augmentation}.
 */

export { adjustBrightness } from './adjust-brightness.js';
export { adjustContrast } from './adjust-contrast.js';
export { adjustHue } from './adjust-hue.js';
export { adjustSaturation } from './adjust-saturation.js';
export type { Augmentation, ViewMaker } from './augmentation.js';
export type { AugmentationContext, AugmentationDeclaration } from './augmentation-declaration.js';
export { type ByolPresetOptions, byolPreset } from './byol-preset.js';
export { centerCrop } from './center-crop.js';
export { type ColorJitterOptions, type ColorJitterParams, colorJitter, colorJitterParams } from './color-jitter.js';
export { compose } from './compose.js';
export { type DinoPresetOptions, dinoPreset } from './dino-preset.js';
export { type FashionMnistSimclrPresetOptions, fashionMnistSimclrPreset } from './fashion-mnist-simclr-preset.js';
export {
  blurKernelSize,
  blurWithSigmas,
  type GaussianBlurOptions,
  gaussianBlur,
  gaussianKernel1d,
} from './gaussian-blur.js';
export { type GaussianNoiseOptions, gaussianNoise } from './gaussian-noise.js';
export { type FlipOptions, horizontalFlip } from './horizontal-flip.js';
export { hsvToRgb } from './hsv-to-rgb.js';
export {
  type AugmentationPreview,
  type AugmentationPreviewGrid,
  type AugmentationPreviewImage,
  type AugmentationPreviewOptions,
  augmentationPreview,
} from './io/augmentation-preview.js';
export {
  type ImageBatch,
  type ImageFolderOptions,
  type ImageFolderReport,
  imageFolderBatches,
} from './io/image-folder-batches.js';
export { ImageReadError, MAX_IMAGE_PIXELS } from './io/image-read-error.js';
export {
  IMAGE_EXTENSIONS,
  imageSourceName,
  type ListImageFilesOptions,
  listImageFiles,
} from './io/list-image-files.js';
export {
  type DecodedImage,
  decodeImage,
  type ImageSource,
  type ReadImageOptions,
  type ReadImagesOptions,
  readImage,
  readImages,
} from './io/read-image.js';
export {
  MIN_IMAGE_SIDE,
  type SmallImage,
  smallImageSizeWarning,
  smallSourceImagesWarning,
} from './io/small-images.js';
export { encodePng, writePng } from './io/write-png.js';
export { type MocoV2PresetOptions, mocoV2Preset } from './moco-v2-preset.js';
export { type CropGroupOptions, type MultiCropOptions, multiCrop } from './multi-crop.js';
export { denormalize, type NormalizeOptions, normalize } from './normalize.js';
export { oneOf } from './one-of.js';
export type { PresetOptions } from './preset-options.js';
export { randomApply } from './random-apply.js';
export { type RandomAutoContrastOptions, randomAutoContrast } from './random-auto-contrast.js';
export { equalizeImages, type RandomEqualizeOptions, randomEqualize } from './random-equalize.js';
export { type ErasingBox, type RandomErasingOptions, randomErasing, randomErasingBoxes } from './random-erasing.js';
export { type RandomGrayscaleOptions, randomGrayscale } from './random-grayscale.js';
export { type RandomPosterizeOptions, randomPosterize } from './random-posterize.js';
export { type RandomResizedCropOptions, randomResizedCrop, randomResizedCropBoxes } from './random-resized-crop.js';
export { type RandomRotationOptions, randomRotation } from './random-rotation.js';
export { type RandomSolarizeOptions, randomSolarize } from './random-solarize.js';
export { type RandomTranslationOptions, randomTranslation } from './random-translation.js';
export { resize } from './resize.js';
export { type CropBox, resizedCrop } from './resized-crop.js';
export { rgbToHsv } from './rgb-to-hsv.js';
export { type SimclrPresetOptions, simclrPreset } from './simclr-preset.js';
export { GRAYSCALE_WEIGHTS, toGrayscale } from './to-grayscale.js';
export { twoViews } from './two-views.js';
export { verticalFlip } from './vertical-flip.js';
export { views } from './views.js';
