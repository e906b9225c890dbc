import type { Declaration } from '@selfsup/pretext';
import { imageSize, numberRange, probability } from '@selfsup/pretext/option-schemas';
import type { Augmentation, ViewMaker } from './augmentation.js';

/** What a run knows when it makes an augmentation: the images its data yields. */
export interface AugmentationContext {
  /** `[height, width]` of the images. */
  size: [number, number];
  channels: 1 | 3;
}

/**
 * An augmentation as it declares itself: an op (`color-jitter`), a preset (`simclr`), or a view
 * maker (`byol`, `dino`: several views per call) — id, description, options with their defaults,
 * what it produces, and `create`, which imports the augmentation when called.
 */
export interface AugmentationDeclaration extends Declaration<Augmentation | ViewMaker, AugmentationContext> {
  /** `augmentation`: one output per call (`[N, H, W, C]`); `views`: a view maker (a list of them). */
  readonly produces: 'augmentation' | 'views';
  /** Views per call of a view maker, given its resolved options. */
  viewCount?(options: Record<string, unknown>): number;
  /** It takes a `size` option; left out, a run fills in the data's size. */
  readonly sized?: boolean;
}

/** The `size` option of a sized declaration: optional, the data's size when left out. */
export const sizeOption = () => imageSize().optional().describe('output [height, width]; default: the data’s size');

/** A per-image probability option with its default. */
export const probabilityOption = (value: number) => probability().default(value).describe('probability per image');

/** The crop-area range of a preset, with its default. */
export const cropScaleOption = (range: [number, number]) =>
  numberRange(0, 1).default(range).describe('area range of the random resized crop, as fractions of the image');
