import type { Matrix } from './test-inputs.js';

/**
 * The negative cosine of `p` and `z` row by row, as a loop: SimSiam's −cos (`simsiam`) or BYOL's
 * 2 − 2·cos (`byol`), averaged over the rows.
 */
export function negativeCosineLoop(p: Matrix, z: Matrix, form: 'simsiam' | 'byol'): number {
  let sum = 0;
  p.forEach((row, i) => {
    const other = z[i] as number[];
    const dot = row.reduce((s, x, k) => s + x * (other[k] as number), 0);
    const cosine = dot / (Math.max(Math.hypot(...row), 1e-12) * Math.max(Math.hypot(...other), 1e-12));
    sum += form === 'byol' ? 2 - 2 * cosine : -cosine;
  });
  return sum / p.length;
}
