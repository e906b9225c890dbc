import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../rng.js';

/** A tensor's shape and values, made on whichever backend computes with it. */
export interface ParityInput {
  shape: number[];
  values: Float32Array | Int32Array;
}

/** Random float32 values in [-1, 1), the same for the same seed, as a plain array. */
export function randomValues(shape: number[], seed: number): { shape: number[]; values: Float32Array } {
  const rng = createRng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-1, 1);
  return { shape, values };
}

/**
 * Runs `compute` on the given backend with tensors made there from plain arrays, and returns the
 * results as plain arrays. Tensors are made on the backend that uses them: an int32→float32 cast
 * on cpu shares its buffer and moved to wasm reads as denormals.
 */
export async function runOn(
  backendName: string,
  inputs: ParityInput[],
  compute: (...tensors: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<Array<{ shape: number[]; values: Float32Array }>> {
  const previous = tf.getBackend();
  await tf.setBackend(backendName);
  try {
    const outputs = tf.tidy(() => {
      const tensors = inputs.map(({ shape, values }) =>
        tf.tensor(values, shape, values instanceof Int32Array ? 'int32' : 'float32'),
      );
      const result = compute(...tensors);
      return Array.isArray(result) ? result : [result];
    });
    try {
      // Asynchronous reads: a GPU backend in Node (Dawn) has no synchronous readback.
      return await Promise.all(
        outputs.map(async (t) => ({ shape: t.shape, values: Float32Array.from(await t.data()) })),
      );
    } finally {
      tf.dispose(outputs);
    }
  } finally {
    await tf.setBackend(previous);
  }
}

/** Largest |a − b| / (max|b| + tiny) over all elements, with shapes required to match. */
export function maxRelativeError(
  actual: { shape: number[]; values: Float32Array },
  expected: { shape: number[]; values: Float32Array },
): number {
  if (actual.shape.join(',') !== expected.shape.join(',')) {
    throw new Error(`shape mismatch: got [${actual.shape}] expected [${expected.shape}]`);
  }
  let scale = 0;
  for (const value of expected.values) scale = Math.max(scale, Math.abs(value));
  let worst = 0;
  for (let i = 0; i < expected.values.length; i++) {
    const a = actual.values[i] as number;
    const e = expected.values[i] as number;
    if (Number.isNaN(a) !== Number.isNaN(e)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, Math.abs(a - e) / (scale + 1e-12));
  }
  return worst;
}
