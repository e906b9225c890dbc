export { copyChunks, fillZero, gatherChunks, repeatChunks } from './copy';
export { sumLeading } from './reduce';
export { scatterStrided } from './scatter';
export { transposePlanes } from './transpose';
export { batchNormGradInput, batchNormGradSums, channelMoments, normalizeChannels } from './batch-norm';
export { cropResizeBilinear } from './crop-resize';
export { adjustHue } from './color';
export { maxPoolGrad } from './pooling';
