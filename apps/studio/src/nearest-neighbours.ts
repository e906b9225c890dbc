import { type Tensor2D, tf } from '@selfsup/backend';

/** Rows scaled to unit length (cosine similarity is then a dot product). */
export function unitRows(features: Tensor2D): Tensor2D {
  return tf.tidy(() => tf.div(features, tf.maximum(tf.norm(features, 'euclidean', 1, true), 1e-12)) as Tensor2D);
}

/**
 * The `k` rows of `pool` most cosine-similar to `query` (both unit rows, `[N, D]` and `[1, D]`),
 * most similar first, leaving out row `exclude` (the query itself when it is in the pool).
 */
export function nearestNeighbours(pool: Tensor2D, query: Tensor2D, k: number, exclude?: number): number[] {
  const indices = tf.tidy(() =>
    tf.topk(tf.matMul(query, pool, false, true), Math.min(k + 1, pool.shape[0])).indices.dataSync(),
  );
  return [...indices].filter((index) => index !== exclude).slice(0, k);
}
