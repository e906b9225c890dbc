// Test support (not shipped: tsconfig.build.json excludes test-*.ts): seeded inputs, scalar reads,
// tolerance checks and the committed fixtures.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, initBackend, type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { expect } from 'vitest';

export type Matrix = number[][];

/** Every test file runs on the wasm backend (the default here). */
export async function useWasm(): Promise<void> {
  await initBackend({ backend: 'wasm', log: false });
}

/** A seeded `[rows, cols]` matrix of normal samples times `scale`. */
export function seededMatrix(rows: number, cols: number, seed: number, scale = 1): Matrix {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * rng.normal()));
}

export const tensor = (m: Matrix): Tensor2D => tf.tensor2d(m);

/** Reads a scalar made inside a tidy (so every tensor of `make` is freed). */
export function scalarValue(make: () => Scalar): number {
  return tf.tidy(() => make().dataSync()[0] as number);
}

/** |actual − expected| ≤ relative·max(1, |expected|). */
export function expectClose(actual: number, expected: number, relative = 1e-5): void {
  expect(Number.isFinite(actual), `${actual} is not finite`).toBe(true);
  const error = Math.abs(actual - expected);
  expect(error, `${actual} vs ${expected}`).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

/** max |a − b| / max(max |b|, floor): the error relative to the largest expected entry. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-12): number {
  let worst = 0;
  let scale = floor;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i] as number));
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  }
  return expected.length === actual.length ? worst / scale : Number.POSITIVE_INFINITY;
}

const here = dirname(fileURLToPath(import.meta.url));

/** A fixture under src/fixtures, parsed. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(here, 'fixtures', name), 'utf8')) as T;
}

/** One loss of src/fixtures/pytorch-references.json (scripts/make-pytorch-references.py). */
export interface PytorchCase {
  loss: string;
  options: Record<string, unknown>;
  value: number;
  components: number[] | null;
  /** Per named input, float64 gradients; null where PyTorch has none (a detached input). */
  gradients: Record<string, Matrix | Matrix[] | null>;
}

interface PytorchReferences {
  source: string;
  inputs: { z1: Matrix; z2: Matrix; prototypes: Matrix; negatives: Matrix };
  cases: PytorchCase[];
}

let references: PytorchReferences | undefined;

export function pytorchReferences(): PytorchReferences {
  references ??= readFixture<PytorchReferences>('pytorch-references.json');
  return references;
}

export function pytorchCase(name: string): PytorchCase {
  const found = pytorchReferences().cases.find((c) => c.loss === name);
  if (found === undefined) throw new Error(`no PyTorch reference case ${name}`);
  return found;
}

/**
 * Checks a loss against a PyTorch reference case: the value to `valueTolerance` (relative), and
 * the gradient of every named input to 1e-4 of its largest entry — or exactly zero where PyTorch
 * has none (stop-gradient inputs).
 */
export function expectMatchesPytorch(
  reference: PytorchCase,
  inputs: Record<string, tf.Tensor>,
  loss: (...xs: tf.Tensor[]) => Scalar,
  valueTolerance = 2e-5,
): void {
  tf.tidy(() => {
    const names = Object.keys(inputs);
    const tensors = Object.values(inputs);
    expectClose(loss(...tensors).dataSync()[0] as number, reference.value, valueTolerance);
    const gradients = tf.grads((...xs: tf.Tensor[]) => loss(...xs))(tensors);
    names.forEach((name, i) => {
      const expected = reference.gradients[name];
      const actual = (gradients[i] as tf.Tensor).dataSync();
      if (expected === null || expected === undefined) {
        expect(Math.max(...Array.from(actual, Math.abs)), `gradient of ${name} must be 0`).toBe(0);
      } else {
        expect(relativeError(actual, (expected as unknown[]).flat(2) as number[]), `gradient of ${name}`).toBeLessThan(
          1e-4,
        );
      }
    });
  });
}
