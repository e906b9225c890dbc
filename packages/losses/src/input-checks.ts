// Argument checks shared by the losses: every message starts with the loss's name and names the
// argument, its expected shape and the shape it got.
import { type Scalar, type Tensor, tf } from '@selfsup/backend';

/** `[8,16]` */
export function shapeText(x: Tensor): string {
  return `[${x.shape.join(',')}]`;
}

function listText(names: readonly string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Throws unless `x` is a live float32 tensor. */
export function expectFloatTensor(loss: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof tf.Tensor)) throw new Error(`${loss}: ${name} must be a tensor; got ${describe(x)}`);
  if (x.isDisposed) throw new Error(`${loss}: ${name} was disposed before the call`);
  if (x.dtype !== 'float32') throw new Error(`${loss}: ${name} must be float32; got ${x.dtype}`);
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return 'an array';
  return typeof x;
}

/** Throws unless `x` is a float32 [batch, dim] tensor. */
export function expectMatrix(loss: string, name: string, x: unknown): asserts x is tf.Tensor2D {
  expectFloatTensor(loss, name, x);
  if (x.rank !== 2) throw new Error(`${loss}: ${name} must be [batch, dim]; got ${shapeText(x)}`);
}

/**
 * Throws unless every tensor is a float32 [batch, dim] matrix of one shape:
 * `ntXent: z1 and z2 must both be [batch, dim]; got [8,16] and [8,15]`.
 */
export function expectSameMatrices(loss: string, named: ReadonlyArray<readonly [string, unknown]>): void {
  for (const [name, x] of named) expectFloatTensor(loss, name, x);
  const tensors = named.map(([, x]) => x as Tensor);
  const first = tensors[0] as Tensor;
  if (tensors.every((x) => x.rank === 2 && x.shape.join() === first.shape.join())) return;
  const names = named.map(([name]) => name);
  const both = names.length === 2 ? 'must both be' : 'must all be';
  throw new Error(`${loss}: ${listText(names)} ${both} [batch, dim]; got ${listText(tensors.map(shapeText))}`);
}

/** Throws unless the first dimension of `x` is at least `minimum`. */
export function expectBatchAtLeast(loss: string, name: string, x: Tensor, minimum: number, why: string): void {
  if ((x.shape[0] as number) < minimum) {
    throw new Error(`${loss}: needs a batch of at least ${minimum} (${why}); ${name} is ${shapeText(x)}`);
  }
}

/** Throws unless `value` is a finite number above 0. */
export function expectPositive(loss: string, name: string, value: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new Error(`${loss}: ${name} must be a finite number above 0; got ${value}`);
  }
}

/** Throws unless `value` is a finite number (any sign). */
export function expectFinite(loss: string, name: string, value: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value))) {
    throw new Error(`${loss}: ${name} must be a finite number; got ${value}`);
  }
}

/** The first non-finite element of `x`, as `NaN at row 3, column 1`, or undefined. Reads `x`. */
function firstNonFinite(x: Tensor): string | undefined {
  const flags = tf.tidy(() => tf.logicalNot(tf.isFinite(x)));
  const bad = flags.dataSync();
  flags.dispose();
  const index = bad.indexOf(1);
  if (index < 0) return undefined;
  const value = x.dataSync()[index] as number;
  if (x.rank === 0) return String(value);
  const rowSize = x.size / (x.shape[0] as number);
  const row = Math.floor(index / rowSize);
  if (x.rank === 1) return `${value} at row ${row}`;
  return x.rank === 2
    ? `${value} at row ${row}, column ${index % rowSize}`
    : `${value} at row ${row} (element ${index % rowSize} of the row)`;
}

/**
 * Returns `value` if it is finite. Otherwise disposes it and throws an error naming the first input
 * that holds NaN or ±Infinity (`ntXent: z2 contains NaN at row 1, column 1; the loss is NaN`),
 * or, when every input is finite, what `diagnose` says (or a pointer to the options). The check is
 * one scalar read; the inputs are scanned only on failure.
 */
export function finiteOrThrow(
  loss: string,
  value: Scalar,
  inputs: ReadonlyArray<readonly [string, Tensor]>,
  diagnose?: () => string | undefined,
): Scalar {
  const number = value.dataSync()[0] as number;
  if (Number.isFinite(number)) return value;
  value.dispose();
  for (const [name, x] of inputs) {
    const where = firstNonFinite(x);
    if (where !== undefined) throw new Error(`${loss}: ${name} contains ${where}; the loss is ${number}`);
  }
  const names = listText(inputs.map(([name]) => name));
  const reason = diagnose?.() ?? 'check the options (temperatures, coefficients)';
  throw new Error(
    `${loss}: the loss is ${number} although ${names} ${inputs.length > 1 ? 'are' : 'is'} finite; ${reason}`,
  );
}
