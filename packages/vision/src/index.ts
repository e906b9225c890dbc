/** @selfsup/vision — image pretext tasks. */
export {
  CHROMATIC_ABERRATION_DEFENCES,
  type ChromaticAberrationDefence,
  defendChromaticAberration,
} from './chromatic-aberration-defence.js';
export {
  type AbBins,
  abGamutBins,
  annealedMeanAb,
  nearestAbBin,
  softEncodeAb,
} from './colorization/ab-quantization.js';
export { estimateAbPrior, rebalancingWeights } from './colorization/class-rebalancing.js';
export { colorizationGreyFloor } from './colorization/colorization-grey-floor.js';
export { colorizationPreview, colorizationPreviewOf } from './colorization/colorization-preview.js';
export {
  AB_SCALE,
  type ColorizationBatch,
  type ColorizationTask,
  type ColorizationTaskOptions,
  colorizationTask,
} from './colorization/colorization-task.js';
export { labToRgb, rgbToLab, rgbToLightness } from './colorization/lab.js';
export {
  DENOISING_NOISES,
  type DenoisingBatch,
  type DenoisingNoise,
  type DenoisingTask,
  type DenoisingTaskOptions,
  denoisingTask,
} from './denoising/denoising-task.js';
export { encoderInputShape } from './encoder-input-shape.js';
export { extractTiles, type TileBox } from './extract-tiles.js';
export { createImageDecoder, type ImageDecoder, type ImageDecoderOptions } from './heads/image-decoder.js';
export { createTileSetClassifier, type TileSetClassifierOptions } from './heads/tile-set-classifier.js';
export {
  INPAINTING_MASK_KINDS,
  type InpaintingMaskKind,
  type InpaintingMaskOptions,
  inpaintingMasks,
} from './inpainting/inpainting-masks.js';
export {
  type InpaintingBatch,
  type InpaintingTask,
  type InpaintingTaskOptions,
  inpaintingTask,
} from './inpainting/inpainting-task.js';
export { JIGSAW_COLOUR_DEFENCES, type JigsawColourDefence } from './jigsaw/jigsaw-colour-defences.js';
export { type JigsawBatch, type JigsawTask, type JigsawTaskOptions, jigsawTask } from './jigsaw/jigsaw-task.js';
export {
  type MaxHammingPermutationsOptions,
  maxHammingPermutations,
  type PermutationSet,
} from './jigsaw/max-hamming-permutations.js';
export { createMaeDecoder, type MaeDecoder, type MaeDecoderOptions } from './mae/mae-decoder.js';
export { type MaeBatch, type MaeTask, type MaeTaskOptions, maeTask } from './mae/mae-task.js';
export { asPatchTokenEncoder, type PatchTokenEncoder } from './mae/patch-token-encoder.js';
export { type PatchMasking, randomPatchMasking } from './mae/random-patch-masking.js';
export { sincosPositionEmbedding } from './mae/sincos-position-embedding.js';
export {
  NEIGHBOUR_OFFSETS,
  type RelativeLocationBatch,
  type RelativeLocationTask,
  type RelativeLocationTaskOptions,
  relativeLocationTask,
} from './relative-location/relative-location-task.js';
export { rotate90 } from './rotation/rotate90.js';
export { type RotationTaskOptions, rotationTask } from './rotation/rotation-task.js';
export { standardizePerImage } from './standardize-per-image.js';
export { type TileGeometry, tileGeometry } from './tile-geometry.js';
// Tasks are reached through the map (visionTasks.<id>(options)); the task factories exported above are kept for
// existing callers, and a new task needs no line here.
export { visionTasks } from './vision-tasks.js';
