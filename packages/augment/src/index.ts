/** @selfsup/augment — batched, seeded image augmentations and image IO with sharp. */
export type { Augmentation } from './augmentation.js';
export {
  adjustBrightness,
  adjustContrast,
  adjustHue,
  adjustSaturation,
  type ColorJitterOptions,
  colorJitter,
  denormalize,
  gaussianNoise,
  normalize,
  randomAutoContrast,
  randomGrayscale,
  randomPosterize,
  randomSolarize,
} from './color.js';
export { GRAYSCALE_WEIGHTS, hsvToRgb, rgbToHsv, toGrayscale } from './color-space.js';
export { compose, oneOf, randomApply } from './combinators.js';
export { blurWithSigmas, type GaussianBlurOptions, gaussianBlur, gaussianKernel1d } from './gaussian-blur.js';
export { centerCrop, horizontalFlip, randomRotation, randomTranslation, resize, verticalFlip } from './geometry.js';
export { type AugmentationPreviewOptions, augmentationPreview } from './io/augmentation-preview.js';
export {
  IMAGE_EXTENSIONS,
  type ImageBatch,
  type ImageFolderOptions,
  type ImageFolderReport,
  imageFolderBatches,
  listImageFiles,
} from './io/image-folder.js';
export { type DecodedImage, decodeImage, type ReadImageOptions, readImage, readImages } from './io/read-image.js';
export { writePng } from './io/write-png.js';
export { twoViews, type ViewMaker, views } from './multi-view.js';
export {
  blurKernelFor,
  byolPreset,
  type DinoMultiCropOptions,
  dinoMultiCrop,
  fashionMnistSimclrPreset,
  mocoV2Preset,
  type SimclrPresetOptions,
  simclrPreset,
} from './presets.js';
export { type RandomErasingOptions, randomErasing } from './random-erasing.js';
export {
  type CropBox,
  type RandomResizedCropOptions,
  randomResizedCrop,
  randomResizedCropBoxes,
} from './random-resized-crop.js';
