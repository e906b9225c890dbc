import { assertNoTensorLeak, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { offDiagonal } from './off-diagonal.js';
import { useWasm } from './test-inputs.js';

beforeAll(useWasm);

describe('offDiagonal', () => {
  it('returns the off-diagonal elements row by row; [1, 1] gives none', () => {
    tf.tidy(() => {
      expect(
        Array.from(
          offDiagonal(
            tf.tensor2d([
              [1, 2, 3],
              [4, 5, 6],
              [7, 8, 9],
            ]),
          ).dataSync(),
        ),
      ).toEqual([2, 3, 4, 6, 7, 8]);
      expect(offDiagonal(tf.tensor2d([[1]])).shape).toEqual([0]);
    });
  });
  it('passes gradients to the off-diagonal entries only', () => {
    tf.tidy(() => {
      const g = tf.grad((m: Tensor) => tf.sum(offDiagonal(m as Tensor2D)))(tf.ones([3, 3]));
      expect(Array.from(g.dataSync())).toEqual([0, 1, 1, 1, 0, 1, 1, 1, 0]);
    });
  });
  it('rejects non-square input and leaks nothing', async () => {
    expect(() => offDiagonal(tf.zeros([2, 3]) as Tensor2D)).toThrow(
      'offDiagonal: matrix must be square [D, D]; got [2,3]',
    );
    const m = tf.ones([4, 4]) as Tensor2D;
    await assertNoTensorLeak('offDiagonal', () => offDiagonal(m));
    m.dispose();
  });
});
