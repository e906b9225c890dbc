import type { ViewMaker } from '@selfsup/augment';
import type { ViewPairLoss } from '@selfsup/losses';
import type { Encoder } from '@selfsup/models';
import type { Declaration } from '@selfsup/pretext';
import type { TrainingObjective } from '../training-objective.js';

/** What a method is made from, beside its options. */
export interface MethodContext {
  encoder: Encoder;
  /** Makes the views of each batch: the config's augmentations, or the method's recipe. */
  views: ViewMaker;
  /** Seeds the method's own modules (heads). */
  seed: number;
  /** The view-pair loss, for methods that take one (`takesLoss`). */
  loss?: ViewPairLoss;
}

/** An augmentation by id with its options: what a method trains on when a run names none. */
export interface AugmentationChoice {
  preset: string;
  options?: Record<string, unknown>;
}

/**
 * A self-supervised method as it declares itself (`simclrDeclaration`): id, description, options
 * with their defaults, the views it trains on, and `create`, which imports the trainer when called.
 */
export interface MethodDeclaration extends Declaration<TrainingObjective, MethodContext> {
  /** Views of each image the method trains on (with `multiCrop`: its global views, the least it takes). */
  readonly views: number;
  /**
   * Multi-crop (SwAV, DINO): it trains on its `views` global views followed by any number of local
   * ones, so an augmentation making `views` or more views fits.
   */
  readonly multiCrop?: boolean;
  /** It trains with the run's view-pair loss (`context.loss`), which must then be given. */
  readonly takesLoss?: boolean;
  /**
   * The augmentation (an `@selfsup/augment` declaration id) used when a run names none, for images
   * of `channels` and, when known, of `size` `[height, width]` (multi-crop sizes follow it).
   */
  defaultAugmentations(channels: 1 | 3, size?: [number, number]): AugmentationChoice;
  /**
   * The options with the defaults that depend on the encoder (head sizes) filled in, as a run
   * records them; `create` fills in the same when they are left out.
   */
  completeOptions?(options: Record<string, unknown>, encoder: Pick<Encoder, 'featureSize'>): Record<string, unknown>;
}

/** The paper recipe as views: SimCLR's for RGB, the Fashion-MNIST baseline's for grayscale. */
export const simclrViews = (channels: 1 | 3): AugmentationChoice => ({
  preset: channels === 1 ? 'fashion-mnist-simclr' : 'simclr',
});
