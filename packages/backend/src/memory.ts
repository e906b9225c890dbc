import * as tf from '@tensorflow/tfjs-core';

/** What {@link measureTensorLeak} found. */
export interface TensorLeakReport<T> {
  /** What the function returned (its tensors already disposed). */
  result: T;
  /** Tensors alive after the call (and after disposing the result) that were not alive before. */
  leakedTensors: number;
  /** Backend data buffers alive after the call that were not alive before. */
  leakedDataBuffers: number;
}

function numDataBuffers(): number {
  return tf.engine().backend.numDataIds();
}

/** Disposes every tensor inside a value: a tensor, an array, or a plain object, nested. */
function disposeDeep(value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    if (!value.isDisposed) value.dispose();
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) disposeDeep(item, seen);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) disposeDeep(item, seen);
  }
}

/**
 * Runs `fn`, disposes the tensors it returns (nested in arrays or plain objects too), and counts
 * the tensors and backend buffers that outlive the call.
 *
 * @example
 * const { leakedTensors } = await measureTensorLeak(() => tf.add(a, b));
 * // leakedTensors === 0
 */
export async function measureTensorLeak<T>(fn: () => T | Promise<T>): Promise<TensorLeakReport<T>> {
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = numDataBuffers();
  const result = await fn();
  disposeDeep(result);
  return {
    result,
    leakedTensors: tf.memory().numTensors - tensorsBefore,
    leakedDataBuffers: numDataBuffers() - buffersBefore,
  };
}

/**
 * Runs `fn` and throws if it leaves tensors or backend buffers behind. Tests call this for every
 * public function that makes tensors.
 *
 * @param label names the function in the error.
 * @returns what `fn` returned, with its tensors disposed.
 * @example
 * await assertNoTensorLeak('ntXent', () => ntXent(z1, z2, { temperature: 0.5 }));
 * @throws Error naming `label` and the number of leaked tensors.
 */
export async function assertNoTensorLeak<T>(label: string, fn: () => T | Promise<T>): Promise<T> {
  const report = await measureTensorLeak(fn);
  if (report.leakedTensors !== 0 || report.leakedDataBuffers !== 0) {
    throw new Error(
      `${label} changed the number of live tensors by ${report.leakedTensors} and of backend buffers by ` +
        `${report.leakedDataBuffers} (expected 0 and 0: it leaks, or it disposed tensors it does not own)`,
    );
  }
  return report.result;
}
