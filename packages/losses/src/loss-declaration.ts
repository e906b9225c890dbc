import type { Scalar, Tensor2D } from '@selfsup/backend';
import type { Declaration } from '@selfsup/pretext';

/**
 * A loss between two batches of embeddings, views of the same samples row by row:
 * `[N, D]` × 2 → scalar. What a two-view method (`createTwoViewMethod`) trains with.
 */
export type ViewPairLoss = (z1: Tensor2D, z2: Tensor2D) => Scalar;

/**
 * A view-pair loss as it declares itself (`ntXentDeclaration`): id, description, options with
 * their defaults, and `create(options)` → a {@link ViewPairLoss}, importing the loss when called.
 */
export type LossDeclaration = Declaration<ViewPairLoss>;
