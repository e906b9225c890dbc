import { type Tensor2D, tf } from '@selfsup/backend';
import { expectMatrix } from './input-checks.js';
import { l2Normalize } from './l2-normalize.js';

/**
 * Cosine similarities between every row of `a` and every row of `b`: `[N, M]`, entries in
 * [−1, 1] (0 for a zero row, see {@link l2Normalize}).
 *
 * @param a `[N, D]`.
 * @param b `[M, D]`; default `a` (the `[N, N]` self-similarity matrix).
 * @example const similarity = cosineSimilarityMatrix(z1, z2); // [N, N], positives on the diagonal
 * @throws when an input is not float32 `[rows, dim]` or the dims differ.
 */
export function cosineSimilarityMatrix(a: Tensor2D, b?: Tensor2D): Tensor2D {
  expectMatrix('cosineSimilarityMatrix', 'a', a);
  if (b !== undefined) {
    expectMatrix('cosineSimilarityMatrix', 'b', b);
    if (b.shape[1] !== a.shape[1]) {
      throw new Error(`cosineSimilarityMatrix: b must be [rows, ${a.shape[1]}] like a; got [${b.shape}]`);
    }
  }
  return tf.tidy(() => {
    const left = l2Normalize(a);
    const right = b === undefined ? left : l2Normalize(b);
    return tf.matMul(left, right, false, true) as Tensor2D;
  });
}
