import { type Scalar, type Tensor, tf } from '@selfsup/backend';

/** Throws unless `x` is [batch, dim] (rank 2). */
export function expectMatrix(loss: string, name: string, x: Tensor): void {
  if (x.rank !== 2) throw new Error(`${loss}: ${name} must be [batch, dim]; got [${x.shape}]`);
}

/** Throws unless all tensors have the same shape. */
export function expectSameShape(loss: string, named: Record<string, Tensor>): void {
  const entries = Object.entries(named);
  const [firstName, first] = entries[0] as [string, Tensor];
  for (const [name, x] of entries.slice(1)) {
    if (x.shape.join() !== first.shape.join()) {
      throw new Error(
        `${loss}: ${firstName} and ${name} must have the same shape; got [${first.shape}] and [${x.shape}]`,
      );
    }
  }
}

/** Throws unless the batch has at least `minimum` rows. */
export function expectBatchAtLeast(loss: string, name: string, x: Tensor, minimum: number): void {
  if ((x.shape[0] as number) < minimum)
    throw new Error(`${loss}: ${name} needs a batch of at least ${minimum}; got ${x.shape[0]}`);
}

/**
 * Reads a computed loss and, when it is NaN or infinite, throws an error naming the input that
 * holds non-finite values (or saying the inputs were finite). Costs one scalar read.
 */
export function checkFinite(loss: string, value: Scalar, inputs: Record<string, Tensor>): Scalar {
  const number = value.dataSync()[0] as number;
  if (Number.isFinite(number)) return value;
  for (const [name, x] of Object.entries(inputs)) {
    const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(x)));
    const flags = bad.dataSync();
    bad.dispose();
    const index = flags.indexOf(1);
    if (index >= 0) {
      const values = x.dataSync();
      const row = x.rank >= 2 ? Math.floor(index / (x.size / (x.shape[0] as number))) : index;
      value.dispose();
      throw new Error(`${loss}: ${name} contains ${values[index]} (first at row ${row}); the loss is ${number}`);
    }
  }
  value.dispose();
  throw new Error(`${loss}: the loss is ${number} although every input is finite`);
}
