import { type Tensor2D, tf } from '@selfsup/backend';

/** Rows scaled to unit length (cosine similarity is then a dot product). */
export function unitRows(features: Tensor2D): Tensor2D {
  return tf.tidy(() => tf.div(features, tf.maximum(tf.norm(features, 'euclidean', 1, true), 1e-12)) as Tensor2D);
}

/**
 * The `k` rows of `pool` most cosine-similar to row `row` of `queries` (unit rows, `[N, D]` and
 * `[Q, D]`), most similar first, leaving out pool row `exclude` (the query itself when the queries
 * are the pool's). Read with `data()`, which every backend supports (webgpu's `dataSync` may not).
 */
export async function nearestNeighbours(
  pool: Tensor2D,
  queries: Tensor2D,
  row: number,
  k: number,
  exclude?: number,
): Promise<number[]> {
  const found = tf.tidy(() => {
    const similarities = tf.matMul(tf.slice(queries, [row, 0], [1, -1]), pool, false, true);
    return tf.topk(similarities, Math.min(k + 1, pool.shape[0])).indices;
  });
  try {
    return [...(await found.data())].filter((index) => index !== exclude).slice(0, k);
  } finally {
    found.dispose();
  }
}
