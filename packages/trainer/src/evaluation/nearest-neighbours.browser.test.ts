import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { nearestNeighbours } from './nearest-neighbours.js';

// webgpu (SwiftShader here) has no synchronous readback: a dataSync() inside would throw there.
describe.each(['cpu', 'webgpu'] as const)('nearestNeighbours in a page on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, log: false });
    expect(tf.getBackend()).toBe(backend);
  });

  it('finds the same neighbours as a brute-force cosine ranking, without leaking', async () => {
    const values = Array.from(
      { length: 30 * 4 },
      (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453) - 0.5,
    );
    const rows = Array.from({ length: 30 }, (_, r) => values.slice(r * 4, r * 4 + 4));
    const pool = tf.tensor2d(rows);
    const queries = tf.tensor2d(rows.slice(0, 3));
    const found = await assertNoTensorLeak('nearestNeighbours', () =>
      nearestNeighbours(pool, queries, 5, { queriesArePoolRows: true }),
    );
    pool.dispose();
    queries.dispose();
    const unit = rows.map((row) => row.map((v) => v / Math.hypot(...row)));
    const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * (b[i] as number), 0);
    for (const [q, neighbours] of found.entries()) {
      const expected = unit
        .map((row, i) => ({ i, s: cosine(unit[q] as number[], row) }))
        .filter(({ i }) => i !== q)
        .sort((a, b) => b.s - a.s)
        .slice(0, 5)
        .map(({ i }) => i);
      expect(neighbours).toEqual(expected);
    }
  });
});
