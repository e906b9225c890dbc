import { assertNoTensorLeak, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { nearestNeighbours } from './nearest-neighbours.js';

// Pool rows at angles 0°, 10°, 90°, 180° and a longer 20° row: cosine ignores length.
const poolRows = [
  [1, 0],
  [Math.cos(0.1745), Math.sin(0.1745)],
  [0, 1],
  [-1, 0],
  [5 * Math.cos(0.349), 5 * Math.sin(0.349)],
];

describe('nearestNeighbours', () => {
  it('orders pool rows by cosine similarity to each query, most similar first, without leaking', async () => {
    const pool = tf.tensor2d(poolRows);
    const queries = tf.tensor2d([
      [2, 0],
      [0, -3],
    ]);
    const found = await assertNoTensorLeak('nearestNeighbours', () => nearestNeighbours(pool, queries, 3));
    expect(found).toEqual([
      [0, 1, 4],
      [0, 3, 1], // at -90°: 0° and 180° tie at 0 (smaller index first), then 10°
    ]);
    pool.dispose();
    queries.dispose();
  });

  it('leaves a query out of its own neighbours when the queries are the pool’s first rows', async () => {
    const pool = tf.tensor2d(poolRows);
    const queries = tf.tensor2d(poolRows.slice(0, 2));
    const found = await assertNoTensorLeak('nearestNeighbours', () =>
      nearestNeighbours(pool, queries, 2, { queriesArePoolRows: true }),
    );
    expect(found).toEqual([
      [1, 4],
      [0, 4],
    ]);
    // k past the pool: every other row.
    expect((await nearestNeighbours(pool, queries, 10, { queriesArePoolRows: true }))[0]).toHaveLength(4);
    pool.dispose();
    queries.dispose();
  });

  it('does its tensor work before it returns, so the inputs may be disposed at once', async () => {
    const pool = tf.tensor2d(poolRows);
    const queries = tf.tensor2d([[0, 1]]);
    const pending = nearestNeighbours(pool, queries, 1);
    pool.dispose();
    queries.dispose();
    expect(await pending).toEqual([[2]]);
  });

  it('rejects features of different widths and a negative k', async () => {
    const pool = tf.tensor2d(poolRows);
    const queries = tf.tensor2d([[1, 0, 0]]);
    await expect(nearestNeighbours(pool, queries, 1)).rejects.toThrow(/2 features, queries 3/);
    await expect(nearestNeighbours(pool, pool, -1)).rejects.toThrow(/k must be/);
    pool.dispose();
    queries.dispose();
  });
});
