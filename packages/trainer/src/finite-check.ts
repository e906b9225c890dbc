import { type Scalar, type Tensor, tf } from '@selfsup/backend';
import { parameterName } from '@selfsup/models';
import type { TrainingObjective } from './training-objective.js';

/** A tensor and the name a message gives it (`encoder/conv1/kernel`). */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/**
 * Every variable of an objective, named: the modules' trainable and state variables (target
 * networks and batch-norm statistics included), then trainable variables outside modules.
 */
export function namedWeights(objective: Pick<TrainingObjective, 'modules' | 'trainableVariables'>): NamedTensor[] {
  const seen = new Set<tf.Variable>();
  const named: NamedTensor[] = [];
  const add = (variable: tf.Variable) => {
    if (seen.has(variable)) return;
    seen.add(variable);
    named.push({ name: parameterName(variable), tensor: variable });
  };
  for (const module of Object.values(objective.modules)) {
    for (const variable of [...module.trainableVariables, ...module.stateVariables]) add(variable);
  }
  for (const variable of objective.trainableVariables) add(variable);
  return named;
}

/**
 * The sum of every element of every float tensor given, a scalar `[]` — finite exactly when all
 * of them are (NaN and ±Inf propagate through it), apart from a finite overflow that
 * {@link firstNonFinite} then rules out. One reduction per tensor and one addition: the check a
 * step can afford. Int32 and bool tensors are left out (they cannot hold NaN or ±Inf).
 */
export function sumOfAll(tensors: readonly Tensor[]): Scalar {
  return tf.tidy(() => {
    // Added pairwise, not with one addN: WebGPU binds every input of a kernel at once, and an
    // addN of more inputs than a shader stage may bind fails (and reads back zeros).
    let sums: Tensor[] = tensors.filter((t) => t.dtype === 'float32').map((t) => tf.sum(t));
    if (sums.length === 0) return tf.scalar(0);
    while (sums.length > 1) {
      const next: Tensor[] = [];
      for (let i = 0; i < sums.length; i += 2) {
        const right = sums[i + 1];
        next.push(right === undefined ? (sums[i] as Tensor) : tf.add(sums[i] as Tensor, right));
      }
      sums = next;
    }
    return sums[0] as Scalar;
  });
}

/**
 * The first tensor holding NaN or ±Inf, with how many it holds, or undefined when none does
 * (read back element by element: the slow path, run only after {@link sumOfAll} came out non-finite).
 */
export async function firstNonFinite(
  tensors: readonly NamedTensor[],
): Promise<{ name: string; count: number } | undefined> {
  for (const { name, tensor } of tensors) {
    if (tensor.dtype !== 'float32') continue;
    const values = (await tensor.data()) as Float32Array;
    let count = 0;
    for (let i = 0; i < values.length; i++) {
      const x = values[i] as number;
      if (x - x !== 0) count++;
    }
    if (count > 0) return { name, count };
  }
  return undefined;
}
