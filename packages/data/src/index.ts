/** @selfsup/data — datasets for self-supervised training. */

export {
  batched,
  type Dataset,
  fromArray,
  fromSource,
  mapped,
  prefetched,
  rangeDataset,
  type ShuffleOptions,
  shuffled,
  trainTestSplit,
} from './dataset.js';
export {
  DEBIAN_FASHION_MNIST_DIR,
  embeddedFashionMnistDir,
  FASHION_MNIST_CLASSES,
  type LabeledImages,
  type LoadIdxImagesOptions,
  loadIdxImages,
} from './fashion-mnist.js';
export { greyToRgb } from './grey-to-rgb.js';
export { decodeIdx, type IdxArray, type IdxSource, readIdx } from './idx.js';
export { isIdxDirectory } from './idx-directory.js';
export { imageBatch, labeledImageBatches, selectImages } from './image-batch.js';
export { type ImageFolderDataset, type ImageFolderDatasetOptions, imageFolderDataset } from './image-folder-dataset.js';
export {
  type LabeledImagesSource,
  type LabeledTrainTest,
  type LabeledTrainTestSource,
  readLabeledTrainTest,
} from './labeled-train-test.js';
export {
  DEBIAN_PHOTOGRAPHS_INSTALL,
  LOMIRI_PHOTOGRAPHS,
  MATE_PHOTO_DIR,
  PLASMA_PHOTOGRAPHS,
  photoFiles,
} from './photo-files.js';
export {
  loadPhotoSplit,
  type PhotoPatchDatasetOptions,
  type PhotoSplit,
  photoDecodeSize,
  photoPatchDataset,
  photoPatchSample,
} from './photo-patches.js';
export { type PixelStatistics, pixelStatistics } from './pixel-statistics.js';
export { type LabeledImageSet, type ReadLabeledImagesOptions, readLabeledImages } from './read-labeled-images.js';
export {
  type ReadUnlabeledImagesOptions,
  readUnlabeledImages,
  type UnlabeledImageSet,
  type UnlabeledImages,
} from './read-unlabeled-images.js';
export { type SkippedFile, TooFewExamplesError } from './too-few-examples-error.js';
