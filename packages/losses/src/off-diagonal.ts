import { type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import { expectFloatTensor, shapeText } from './input-checks.js';

/**
 * The off-diagonal elements of a square matrix, row by row, as the Barlow Twins and VICReg code's
 * `off_diagonal`: `[D, D]` → `[D·(D − 1)]`. Differentiable.
 *
 * @example offDiagonal(tf.tensor2d([[1, 2], [3, 4]])); // [2, 3]
 * @throws when `matrix` is not a float32 square matrix.
 */
export function offDiagonal(matrix: Tensor2D): Tensor1D {
  expectFloatTensor('offDiagonal', 'matrix', matrix);
  const [rows, cols] = matrix.shape;
  if (matrix.rank !== 2 || rows !== cols) {
    throw new Error(`offDiagonal: matrix must be square [D, D]; got ${shapeText(matrix)}`);
  }
  return tf.tidy(() => {
    // Dropping the last element and viewing the rest as [D − 1, D + 1] puts the diagonal in column 0.
    const flat = tf.reshape(matrix, [rows * cols]);
    const shifted = tf.reshape(tf.slice(flat, [0], [rows * cols - 1]), [rows - 1, rows + 1]);
    return tf.reshape(tf.slice(shifted, [0, 1], [rows - 1, rows]), [rows * (rows - 1)]) as Tensor1D;
  });
}
