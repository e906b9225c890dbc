import { type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';

/** The off-diagonal elements of a square [D, D] matrix, row by row: [D·(D−1)] (Barlow Twins, VICReg). */
export function offDiagonal(matrix: Tensor2D): Tensor1D {
  const [rows, cols] = matrix.shape;
  if (rows !== cols) throw new Error(`offDiagonal: expected a square matrix, got [${matrix.shape}]`);
  return tf.tidy(() => {
    // Dropping the last element and viewing [D−1, D+1] puts the diagonal in the first column.
    const flat = tf.reshape(matrix, [rows * cols]);
    const shifted = tf.reshape(tf.slice(flat, [0], [rows * cols - 1]), [rows - 1, rows + 1]);
    return tf.reshape(tf.slice(shifted, [0, 1], [rows - 1, rows]), [rows * (rows - 1)]) as Tensor1D;
  });
}
