import { type Tensor, type Tensor2D, type Tensor3D, tf } from '@selfsup/backend';

/** Token ids [batch, length] as int32 (ids held in another dtype are cast). */
export function asTokenIds(ids: Tensor): Tensor2D {
  return (ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32')) as Tensor2D;
}

/** 1 at the real tokens of ids [batch, length], 0 at `padTokenId`: [batch, length] float32. */
export function paddingMask(ids: Tensor, padTokenId: number): Tensor2D {
  return tf.tidy(() => tf.cast(tf.notEqual(asTokenIds(ids), padTokenId), 'float32') as Tensor2D);
}

/**
 * The input of a transformer over tokens: each token's embedding plus the learned embedding of
 * its position. Shapes: ids [batch, length], tokenEmbeddings [vocabSize, dim], positionEmbeddings
 * [maxLength ≥ length, dim] → [batch, length, dim].
 */
export function embedTokens(ids: Tensor, tokenEmbeddings: Tensor, positionEmbeddings: Tensor): Tensor3D {
  const [length] = ids.shape.slice(1) as [number];
  const dim = positionEmbeddings.shape[1] as number;
  return tf.tidy(
    () =>
      tf.add(
        tf.gather(tokenEmbeddings, asTokenIds(ids)),
        tf.slice(positionEmbeddings, [0, 0], [length, dim]),
      ) as Tensor3D,
  );
}

/**
 * The mean of hidden states over the real tokens (a sequence of padding alone gives 0): hidden
 * [batch, length, dim] and mask [batch, length] ({@link paddingMask}) → [batch, dim]. What the
 * text encoders' `apply` returns, so they plug into linear probes.
 */
export function meanOverTokens(hidden: Tensor3D, mask: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    const weights = tf.expandDims(mask, 2);
    return tf.div(tf.sum(tf.mul(hidden, weights), 1), tf.maximum(tf.sum(weights, 1), 1)) as Tensor2D;
  });
}
