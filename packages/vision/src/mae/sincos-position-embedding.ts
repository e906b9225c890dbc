/**
 * Fixed 2-D sine-cosine position embeddings (as MAE's decoder, He et al. 2022): half the width
 * encodes the patch row, half the column, each as sin and cos at geometric frequencies
 * 1/10000^(k/(dim/4)); the class token (row 0) gets zeros.
 *
 * Shapes: → Float32Array [1 + rows·cols, dim], row-major.
 *
 * @throws if dim is not a multiple of 4.
 */
export function sincosPositionEmbedding(rows: number, cols: number, dim: number): Float32Array {
  if (dim % 4 !== 0) throw new Error(`sincosPositionEmbedding: dim must be a multiple of 4; got ${dim}`);
  const quarter = dim / 4;
  const table = new Float32Array((1 + rows * cols) * dim);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const offset = (1 + row * cols + col) * dim;
      for (let k = 0; k < quarter; k++) {
        const omega = 1 / 10000 ** (k / quarter);
        table[offset + k] = Math.sin(row * omega);
        table[offset + quarter + k] = Math.cos(row * omega);
        table[offset + 2 * quarter + k] = Math.sin(col * omega);
        table[offset + 3 * quarter + k] = Math.cos(col * omega);
      }
    }
  }
  return table;
}
