// Test support (not shipped): gradients of a loss against central finite differences.
import { type Scalar, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { expect } from 'vitest';
import { type Matrix, relativeError } from './test-inputs.js';

export interface FiniteDifferenceOptions {
  /** Step h of (f(x + h) − f(x − h)) / 2h, in float32. Default 1e-2. */
  step?: number;
  /** Largest allowed error relative to the largest finite-difference entry. Default 1e-2. */
  tolerance?: number;
  /** Which inputs to check (indices); default all. */
  check?: number[];
}

/**
 * For each checked input, perturbs every element by ±h, evaluates the loss in float32 and compares
 * the central differences with `tf.grads` of the same loss, input by input.
 */
export function expectGradientsMatchFiniteDifferences(
  loss: (...inputs: Tensor2D[]) => Scalar,
  inputs: Matrix[],
  options: FiniteDifferenceOptions = {},
): void {
  const step = options.step ?? 1e-2;
  const tolerance = options.tolerance ?? 1e-2;
  const evaluate = (values: Matrix[]) =>
    tf.tidy(() => loss(...values.map((m) => tf.tensor2d(m) as Tensor2D)).dataSync()[0] as number);
  const analytic = tf.tidy(() =>
    tf
      .grads((...xs: Tensor[]) => loss(...(xs as Tensor2D[])))(inputs.map((m) => tf.tensor2d(m)))
      .map((g) => Array.from(g.dataSync())),
  );
  for (const index of options.check ?? inputs.map((_, i) => i)) {
    const matrix = inputs[index] as Matrix;
    const numeric: number[] = [];
    matrix.forEach((row, r) => {
      row.forEach((value, c) => {
        const shifted = (delta: number) =>
          inputs.map((m, i) =>
            i !== index ? m : m.map((rr, ri) => rr.map((v, ci) => (ri === r && ci === c ? value + delta : v))),
          );
        numeric.push((evaluate(shifted(step)) - evaluate(shifted(-step))) / (2 * step));
      });
    });
    const error = relativeError(analytic[index] as number[], numeric, 1e-3);
    expect(error, `input ${index}: analytic vs finite differences`).toBeLessThan(tolerance);
  }
}

/**
 * Expects the gradients of a view-pair loss to be finite for each input paired with itself: the
 * degenerate cases (zero vectors, a batch of 2) where a normalization or standardization divides
 * by zero.
 */
export function expectFiniteGradientsOnItself(loss: (a: Tensor2D, b: Tensor2D) => Scalar, inputs: Matrix[]): void {
  tf.tidy(() => {
    for (const input of inputs) {
      const x = tf.tensor2d(input);
      const gradients = tf.grads((a: Tensor, b: Tensor) => loss(a as Tensor2D, b as Tensor2D))([x, x]);
      for (const g of gradients) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    }
  });
}

/** An n × d matrix of zeros. */
export const zeroMatrix = (n: number, d: number): Matrix =>
  Array.from({ length: n }, () => new Array<number>(d).fill(0));
