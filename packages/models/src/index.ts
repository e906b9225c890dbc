/** @selfsup/models — encoders and heads for self-supervised learning. */
export { writeDirectoryAtomically } from '#atomic-directory';
export {
  createFrameFusionHead,
  FRAME_FUSIONS,
  type FrameFusion,
  type FrameFusionHeadOptions,
} from './frame-fusion-head.js';
export { createFrameStackEncoder, type FramePooling, type FrameStackEncoderOptions } from './frame-stack-encoder.js';
export {
  createLinearClassifier,
  createMlpHead,
  createPredictorHead,
  createProjectionHead,
  type MlpHeadOptions,
} from './heads.js';
export {
  CIFAR10_NORMALIZATION,
  FASHION_MNIST_NORMALIZATION,
  type InputNormalization,
} from './input-normalization.js';
export { batchNormLayer, conv2dLayer, denseLayer, gelu, layerNormLayer } from './layers.js';
export type { ModelContext, ModelDeclaration } from './model-declaration.js';
export type { Encoder, ForwardMode, Head, Module, ModuleConfig } from './module.js';
export {
  createModule,
  loadEncoder,
  loadHead,
  loadModule,
  loadModuleWeights,
  namedVariables,
  saveModule,
} from './module-io.js';
export { type Initializer, ParameterStore, parameterName, type WeightInit } from './parameters.js';
export { patchify, unpatchify } from './patches.js';
export { createResNet18, type ResNet18Options } from './resnet18.js';
export type { ModuleLocation } from './saved-module.js';
export { createSmallCnn, type SmallCnnOptions } from './small-cnn.js';
export { headForTask } from './task-head.js';
export {
  createTextEncoderDecoder,
  type TextEncoderDecoder,
  type TextEncoderDecoderOptions,
} from './text-encoder-decoder.js';
export {
  createTextTransformer,
  loadTextTransformer,
  type TextTransformer,
  type TextTransformerOptions,
} from './text-transformer.js';
export { type TransformerBlockOptions, transformerBlock } from './transformer-block.js';
export { type TransformerDecoderBlockOptions, transformerDecoderBlock } from './transformer-decoder-block.js';
export { createVitTiny, type VitEncoder, type VitOptions, type VitPooling } from './vit-tiny.js';
export { createWord2Vec, type Word2Vec, type Word2VecOptions } from './word2vec.js';
