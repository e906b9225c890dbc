import type { AugmentationContext, AugmentationDeclaration } from '@selfsup/augment/declarations';
import type { LossDeclaration, ViewPairLoss } from '@selfsup/losses/declarations';
import type { ModelContext, ModelDeclaration } from '@selfsup/models/declarations';
import type { OptionsSchema } from '@selfsup/pretext';
import type { MethodContext, MethodDeclaration } from '@selfsup/trainer/declarations';

/**
 * A declaration as a registry holds it: the built-ins' are their packages' declarations; a
 * plugin's may leave out `id`, which is the key it is registered under.
 */
export type Entry<Declared extends { id: string }> = Omit<Declared, 'id'> & { readonly id?: string };

/** What every entry tells about itself. */
export interface EntryBase {
  /** Its id; when given, the key it is registered under. */
  readonly id?: string;
  /** One line for `selfsup list` and the reference. */
  description: string;
  /**
   * Its options, validated when a config is loaded (a zod 4 schema, or any Standard Schema). The
   * validated value, defaults filled in, is what the run records and what `create` receives.
   * Left out: the entry takes no options.
   */
  options?: OptionsSchema;
}

/** What the run knows when it builds an augmentation: the data's image size and channels. */
export type { AugmentationContext };

/**
 * An augmentation by id — an op (`color-jitter`), a preset (`simclr`), or a view maker (`byol`,
 * `dino`: several views per call): `@selfsup/augment`'s {@link AugmentationDeclaration}.
 */
export type AugmentationEntry = Entry<AugmentationDeclaration>;

/** A loss between two batches of embeddings [N, D] (views of the same images, row by row). */
export type { ViewPairLoss };

/** A loss by id, for methods that take one (`two-view`): `@selfsup/losses`' {@link LossDeclaration}. */
export type LossEntry = Entry<LossDeclaration>;

/** What a method is built from: the encoder, the views of the config's `augmentations` (or the method's recipe), a seed, the config's `loss`. */
export type { MethodContext };

/**
 * A self-supervised method by id (`simclr`, `byol`, `two-view`, …): `@selfsup/trainer`'s
 * {@link MethodDeclaration}; with `takesLoss`, the config's `loss` section applies (and is required).
 */
export type MethodEntry = Entry<MethodDeclaration>;

/** What an encoder is built for: its input shape, normalization and seed, and for text the corpus sizes. */
export type { ModelContext };

/** An encoder architecture by id (`small-cnn`, `text-transformer`, …): `@selfsup/models`' {@link ModelDeclaration}. */
export type ModelEntry = Entry<ModelDeclaration>;
