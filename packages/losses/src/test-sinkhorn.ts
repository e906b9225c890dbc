// Test support (not shipped): SwAV's Sinkhorn-Knopp exactly as the official code runs it.
import type { Matrix } from './test-inputs.js';

/** SwAV's distributed_sinkhorn as loops (multiplicative, as the official code), float64. */
export function sinkhornLoop(scores: Matrix, iterations: number, epsilon: number): Matrix {
  const b = scores.length;
  const k = (scores[0] as number[]).length;
  let q = scores.map((r) => r.map((s) => Math.exp(s / epsilon))); // [B, K] (the code's Qᵀ)
  const total = q.flat().reduce((s, x) => s + x, 0);
  q = q.map((r) => r.map((x) => x / total));
  for (let it = 0; it < iterations; it++) {
    for (let j = 0; j < k; j++) {
      const prototypeTotal = q.reduce((s, r) => s + (r[j] as number), 0);
      for (const r of q) r[j] = (r[j] as number) / prototypeTotal / k;
    }
    for (const r of q) {
      const sampleTotal = r.reduce((s, x) => s + x, 0);
      for (let j = 0; j < k; j++) r[j] = (r[j] as number) / sampleTotal / b;
    }
  }
  return q.map((r) => r.map((x) => x * b));
}
