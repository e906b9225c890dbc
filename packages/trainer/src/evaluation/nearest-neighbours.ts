import { type Tensor2D, tf } from '@selfsup/backend';

/** Options of {@link nearestNeighbours}. */
export interface NearestNeighbourOptions {
  /**
   * Whether query row `q` is pool row `q` (the queries are the pool's first rows): then a query is
   * not its own neighbour. Default false.
   */
  queriesArePoolRows?: boolean;
}

/**
 * The `k` rows of `pool` most cosine-similar to each row of `queries`, most similar first (ties:
 * the smaller index first, as `topk` orders them): for query `q`, indices into `pool`.
 *
 * Shapes: `pool` `[poolCount, dim]`, `queries` `[queryCount, dim]` float32, rows need not be
 * normalized (an all-zero row is similar to nothing: similarity 0); similarities are
 * `[queryCount, poolCount]` at once. `k` is capped at the rows there are to return. The inputs are
 * not disposed, and all tensor work happens before the promise is returned, so the caller may
 * dispose them at once. The indices are read with `await data()` (WebGPU has no synchronous readback).
 *
 * @example
 * const [first] = await nearestNeighbours(poolFeatures, queryFeatures, 8); // first: 8 pool indices
 */
export async function nearestNeighbours(
  pool: Tensor2D,
  queries: Tensor2D,
  k: number,
  options: NearestNeighbourOptions = {},
): Promise<number[][]> {
  if (!Number.isInteger(k) || k < 0) throw new Error(`nearestNeighbours: k must be an integer >= 0, got ${k}`);
  if (pool.shape[1] !== queries.shape[1]) {
    throw new Error(`nearestNeighbours: pool rows have ${pool.shape[1]} features, queries ${queries.shape[1]}`);
  }
  const [poolCount] = pool.shape;
  const [queryCount] = queries.shape;
  const exclude = options.queriesArePoolRows === true;
  if (exclude && queryCount > poolCount) {
    throw new Error(`nearestNeighbours: ${queryCount} queries cannot be the first rows of a pool of ${poolCount}`);
  }
  const take = Math.min(k + (exclude ? 1 : 0), poolCount);
  if (take === 0 || queryCount === 0) return Array.from({ length: queryCount }, () => []);
  const found = tf.tidy(() => {
    const unit = (x: Tensor2D) => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12)) as Tensor2D;
    return tf.topk(tf.matMul(unit(queries), unit(pool), false, true), take).indices;
  });
  let indices: Int32Array;
  try {
    indices = (await found.data()) as Int32Array;
  } finally {
    found.dispose();
  }
  return Array.from({ length: queryCount }, (_, q) =>
    [...indices.subarray(q * take, (q + 1) * take)].filter((i) => !exclude || i !== q).slice(0, k),
  );
}
