import type { Augmentation, ViewMaker } from './augmentation.js';
import { compose } from './compose.js';
import { randomResizedCrop } from './random-resized-crop.js';
import { expectAtLeast } from './validation.js';
import { views } from './views.js';

/** One group of crops of {@link multiCrop}: `count` views of one size and scale range. */
export interface CropGroupOptions {
  /** Number of views in the group (DINO: 2 global, 8 local by default). */
  count: number;
  /** Output `[height, width]` of these views (DINO: 224 global, 96 local). */
  size: [number, number];
  /** Crop area range as a fraction of the image (DINO: `[0.4, 1]` global, `[0.05, 0.4]` local). */
  scale: [number, number];
  /**
   * What to apply after the crop (color, blur, …): one augmentation for every view of the group,
   * or one per view (DINO's two global views differ). Default: nothing.
   */
  transforms?: Augmentation | Augmentation[];
}

/** Options of {@link multiCrop}. */
export interface MultiCropOptions {
  /** The large crops (teacher and student views in DINO). */
  global: CropGroupOptions;
  /** The small crops (student views only in DINO). Default: none. */
  local?: CropGroupOptions;
  /** Aspect ratio range of every crop (default `[3/4, 4/3]`). */
  ratio?: [number, number];
  /** Probability of a horizontal flip, folded into each crop (default 0.5). */
  flipProbability?: number;
}

/**
 * Multi-crop (SwAV, Caron et al. 2020, arXiv:2006.09882; DINO, Caron et al. 2021,
 * arXiv:2104.14294): a few global crops and several smaller local crops of every image, each a
 * random resized crop (with flip) followed by the group's transforms. Views come global first,
 * then local; their sizes differ between groups. Expose the sizes: small datasets want smaller
 * crops than ImageNet's 224/96.
 *
 * Shapes: `[N, H, W, C]` → `global.count` tensors `[N, gh, gw, C]`, then `local.count` tensors
 * `[N, lh, lw, C]`.
 *
 * @example
 * const makeViews = multiCrop({
 *   global: { count: 2, size: [32, 32], scale: [0.4, 1] },
 *   local: { count: 6, size: [16, 16], scale: [0.05, 0.4] },
 * });
 * const [global1, global2, ...locals] = makeViews(images, rng);
 * @throws if a count is not a positive integer (0 allowed for local), or a per-view transform list has the wrong length.
 */
export function multiCrop(options: MultiCropOptions): ViewMaker {
  const pipelines = [
    ...group('global', options.global, options, 1),
    ...(options.local === undefined ? [] : group('local', options.local, options, 0)),
  ];
  return views(pipelines);
}

function group(name: string, crops: CropGroupOptions, options: MultiCropOptions, minCount: number): Augmentation[] {
  expectAtLeast('multiCrop', `${name}.count`, crops.count, minCount);
  if (!Number.isInteger(crops.count))
    throw new Error(`multiCrop: ${name}.count must be an integer; got ${crops.count}`);
  const transforms = crops.transforms;
  if (Array.isArray(transforms) && transforms.length !== crops.count) {
    throw new Error(
      `multiCrop: ${name}.transforms needs one augmentation per view (${crops.count}); got ${transforms.length}`,
    );
  }
  return Array.from({ length: crops.count }, (_, i) => {
    const crop = randomResizedCrop({
      size: crops.size,
      scale: crops.scale,
      ...(options.ratio === undefined ? {} : { ratio: options.ratio }),
      flipProbability: options.flipProbability ?? 0.5,
    });
    const after = Array.isArray(transforms) ? transforms[i] : transforms;
    return after === undefined ? crop : compose(crop, after);
  });
}
