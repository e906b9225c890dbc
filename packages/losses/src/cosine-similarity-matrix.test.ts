import { assertNoTensorLeak, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarityMatrix } from './cosine-similarity-matrix.js';
import { relativeError, seededMatrix, tensor, useWasm } from './test-inputs.js';

beforeAll(useWasm);

describe('cosineSimilarityMatrix', () => {
  it('matches a loop over cos(a_i, b_j), [N, M]; defaults to a against itself', () => {
    const a = seededMatrix(4, 6, 1);
    const b = seededMatrix(3, 6, 2);
    const cosine = (x: number[], y: number[]) =>
      x.reduce((s, v, k) => s + v * (y[k] as number), 0) / (Math.hypot(...x) * Math.hypot(...y));
    tf.tidy(() => {
      const ab = cosineSimilarityMatrix(tensor(a), tensor(b));
      expect(ab.shape).toEqual([4, 3]);
      expect(
        relativeError(
          ab.dataSync(),
          a.flatMap((x) => b.map((y) => cosine(x, y))),
        ),
      ).toBeLessThan(1e-6);
      const aa = cosineSimilarityMatrix(tensor(a)).arraySync();
      aa.forEach((row, i) => {
        expect(row[i]).toBeCloseTo(1, 6);
      });
      expect(
        Array.from(
          cosineSimilarityMatrix(
            tf.tensor2d([
              [1, 0],
              [0, 2],
              [0, 0],
            ]),
          ).dataSync(),
        ),
      ).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 0]);
    });
  });
  it('rejects mismatched dims and leaks nothing', async () => {
    const a = tf.ones([4, 3]) as Tensor2D;
    expect(() => cosineSimilarityMatrix(a, tf.ones([2, 2]) as Tensor2D)).toThrow(
      'cosineSimilarityMatrix: b must be [rows, 3] like a; got [2,2]',
    );
    await assertNoTensorLeak('cosineSimilarityMatrix', () => cosineSimilarityMatrix(a, a));
    await assertNoTensorLeak('cosineSimilarityMatrix self', () => cosineSimilarityMatrix(a));
    a.dispose();
  });
});
