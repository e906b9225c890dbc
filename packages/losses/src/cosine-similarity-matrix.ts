import { type Tensor2D, tf } from '@selfsup/backend';
import { l2Normalize } from './l2-normalize.js';

/**
 * Cosine similarities between the rows of a [N, D] and b [M, D] (b defaults to a): [N, M].
 * @example const sim = cosineSimilarityMatrix(z1, z2);
 */
export function cosineSimilarityMatrix(a: Tensor2D, b?: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    const left = l2Normalize(a);
    const right = b === undefined ? left : l2Normalize(b);
    return tf.matMul(left, right, false, true) as Tensor2D;
  });
}
