/** @selfsup/video — frames from videos (ffmpeg in Node, the page's <video> in a browser), and frame-order pretext tasks. */

export {
  type BouncingItemVideoFile,
  type BouncingItemVideosOptions,
  type ItemSet,
  writeBouncingItemVideos,
} from '#bouncing-item-video';
export {
  type BouncingItemSplit,
  type CachedBouncingItemVideos,
  type CachedBouncingItemVideosOptions,
  cachedBouncingItemVideos,
} from '#cached-bouncing-item-videos';
export {
  type EncodeVideoOptions,
  encodeRawVideo,
  type LavfiSource,
  type LavfiVideoOptions,
  type RawVideo,
  VIDEO_CODECS,
  type VideoCodec,
  writeLavfiVideo,
} from '#encode-video';
export { type ProbeVideoOptions, probeVideo, type VideoMetadata } from '#probe-video';
export {
  type FfmpegSource,
  type FfmpegTool,
  type FfmpegTools,
  type ResolveFfmpegOptions,
  resolveFfmpeg,
} from '#resolve-ffmpeg';
export { listVideoFiles, VIDEO_EXTENSIONS } from '#video-files';
export {
  bytesToTensor,
  type ClipBytes,
  type ExtractedClips,
  type ExtractedFrames,
  extractClipBytes,
  extractClips,
  extractFrameBytes,
  extractFrames,
  extractSequenceBytes,
  type FrameBytes,
  type FrameExtractionOptions,
  type FrameRequest,
  type FrameResize,
  type VideoSource,
} from './extract-frames.js';
export {
  type ClipRequest,
  clipIndices,
  evenlySpacedIndices,
  type SequenceRequest,
  selectFramesExpression,
  sequenceIndices,
} from './frame-selection.js';
export { labeledFrames } from './labeled-frames.js';
export { type DecodedVideoSequences, packFrameSequences, skippedVideo } from './pack-frame-sequences.js';
export { sequenceBatch, sequenceBatches } from './sequence-batches.js';
export {
  type BouncingItemOptions,
  type BouncingItemVideo,
  type ItemImage,
  renderBouncingItem,
} from './synthetic/render-bouncing-item.js';
export {
  type ArrowOfTimeBatch,
  type ArrowOfTimeTask,
  type ArrowOfTimeTaskOptions,
  arrowOfTimeTask,
} from './tasks/arrow-of-time/arrow-of-time-task.js';
export {
  type ClipOrderBatch,
  type ClipOrderTask,
  type ClipOrderTaskOptions,
  clipOrderTask,
} from './tasks/clip-order/clip-order-task.js';
export { allPermutations, isMonotonic, reverseInvariantOrders } from './tasks/frame-permutations.js';
export { frameMotion } from './tasks/frame-sequences.js';
export {
  type MissingFrameBatch,
  type MissingFrameMode,
  type MissingFrameTask,
  type MissingFrameTaskOptions,
  missingFrameTask,
} from './tasks/missing-frame/missing-frame-task.js';
export {
  type OddOneOutBatch,
  type OddOneOutTask,
  type OddOneOutTaskOptions,
  oddOneOutTask,
} from './tasks/odd-one-out/odd-one-out-task.js';
export {
  type OrderPredictionBatch,
  type OrderPredictionTask,
  type OrderPredictionTaskOptions,
  orderPredictionTask,
} from './tasks/order-prediction/order-prediction-task.js';
export {
  type ShuffleAndLearnBatch,
  type ShuffleAndLearnTask,
  type ShuffleAndLearnTaskOptions,
  shuffleAndLearnTask,
} from './tasks/shuffle-and-learn/shuffle-and-learn-task.js';
export { VideoError, type VideoErrorReason } from './video-error.js';
export {
  type FrameSequences,
  type LoadedVideos,
  type LoadVideosOptions,
  loadVideoFolder,
  loadVideos,
  type SkippedVideo,
} from './video-folder.js';
export {
  type VideoFolderDataset,
  type VideoFolderDatasetOptions,
  videoFolderDataset,
} from './video-folder-dataset.js';
export { videoTasks } from './video-tasks.js';
