import * as tf from '@tensorflow/tfjs';

/**
 * Reads named scalars — one-element tensors (`[]`, `[1]`, …) or plain numbers — as plain numbers in
 * one asynchronous readback: the tensors are stacked and read with `await data()`, which every
 * backend has (WebGPU in Node or on a software adapter has no synchronous `dataSync()`). The
 * tensors passed in are disposed; numbers pass through.
 *
 * Shapes: each tensor holds exactly one value → `Record<string, number>` with the same keys.
 *
 * @example
 * const metrics = await readScalars({ accuracy: tf.mean(correct), loss: 0.25 }); // { accuracy: 0.9, loss: 0.25 }
 * @throws when a tensor holds other than one value, naming its key and shape (every tensor is disposed first).
 */
export async function readScalars(values: Record<string, tf.Tensor | number>): Promise<Record<string, number>> {
  const entries = Object.entries(values);
  const tensors = entries.filter((entry): entry is [string, tf.Tensor] => typeof entry[1] !== 'number');
  const wrong = tensors.find(([, tensor]) => tensor.size !== 1);
  if (wrong !== undefined) {
    const message = `readScalars: '${wrong[0]}' must hold one value, got a tensor of shape [${wrong[1].shape.join(', ')}]`;
    tf.dispose(tensors.map(([, tensor]) => tensor));
    throw new Error(message);
  }
  let read: Float32Array | undefined;
  if (tensors.length > 0) {
    const stacked = tf.tidy(() => tf.concat(tensors.map(([, tensor]) => tf.reshape(tf.cast(tensor, 'float32'), [1]))));
    tf.dispose(tensors.map(([, tensor]) => tensor));
    try {
      read = (await stacked.data()) as Float32Array;
    } finally {
      stacked.dispose();
    }
  }
  let next = 0;
  return Object.fromEntries(
    entries.map(([name, value]) => [name, typeof value === 'number' ? value : (read?.[next++] as number)]),
  );
}
