/** @selfsup/data — datasets for self-supervised training. */
export {
  DEBIAN_FASHION_MNIST_DIR,
  embeddedFashionMnistDir,
  FASHION_MNIST_CLASSES,
  type LabeledImages,
  type LoadIdxImagesOptions,
  loadIdxImages,
} from './fashion-mnist.js';
export { decodeIdx, type IdxArray, readIdx } from './idx.js';
