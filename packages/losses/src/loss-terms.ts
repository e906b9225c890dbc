import type { Scalar } from '@selfsup/backend';

/**
 * The shape of a loss that reports its terms: the total to minimize under `loss`, and each term
 * unweighted, every one a scalar tensor the caller owns (dispose them all, or read them inside a
 * `tf.tidy`). Inside a gradient function return `.loss`; the engine frees the other terms.
 *
 * @example const { loss, invariance } = vicreg(z1, z2); // VicregLoss = LossTerms<'invariance' | …>
 */
export type LossTerms<Term extends string> = { readonly loss: Scalar } & { readonly [Name in Term]: Scalar };
