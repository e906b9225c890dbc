import { type NamedTensorMap, type Tensor, tf, variableFromTensor } from '@selfsup/backend';
import { parameterName } from '@selfsup/models';

/**
 * A serializable optimizer state (for checkpoints): the step count and the slot tensors, named
 * `<parameter name>/<slot>` (the parameter name is `module/…/weight`, the slot e.g. Adam's `m`),
 * each of its variable's shape.
 */
export interface OptimizerState {
  iterations: number;
  slots: NamedTensorMap;
}

/**
 * An optimizer over a fixed list of variables. The learning rate is passed per step, so any
 * schedule drives it; `getState`/`setState` make a resumed run continue exactly.
 *
 * Shapes: variables of any shape; each gradient has its variable's shape, and each slot
 * (momentum, Adam's moments) too.
 *
 * @example
 * const { value, grads } = tf.variableGrads(() => loss(), variables);
 * optimizer.applyGradients(grads, schedule(step));
 */
export interface Optimizer {
  readonly name: string;
  /** Updates taken so far. */
  readonly iterations: number;
  /**
   * One update from gradients keyed by variable name (as `tf.variableGrads` returns them), each of
   * its variable's shape; the caller keeps and disposes the gradients.
   * @throws for a non-finite learning rate or a gradient of a variable not in the list.
   */
  applyGradients(gradients: NamedTensorMap, learningRate: number): void;
  /** Copies of the slot tensors (the caller disposes them). */
  getState(): OptimizerState;
  /**
   * Restores a state from `getState` (the tensors are copied).
   * @throws when a slot is missing or its shape differs from the variable's.
   */
  setState(state: OptimizerState): void;
  dispose(): void;
}

/** Which variables weight decay (and LARS adaptation) skip: by default biases and norm parameters (rank ≤ 1). */
export type ParameterFilter = (variable: tf.Variable) => boolean;

/**
 * True for variables of rank ≤ 1 — biases and norm scales/offsets `[units]` — false for kernels
 * (`[in, out]`, `[kh, kw, in, out]`): the parameters weight decay skips by default.
 *
 * @example
 * createAdamW(variables, { excludeFromWeightDecay: isBiasOrNormParameter });
 */
export const isBiasOrNormParameter: ParameterFilter = (variable) => variable.rank <= 1;

/**
 * Shared machinery: per-variable slots (zeros at first), gradient lookup, state save/restore.
 * `update(variable, gradient, slots, learningRate, iteration)` returns the new value and slots.
 */
export function slotOptimizer(
  name: string,
  variables: tf.Variable[],
  slotNames: readonly string[],
  update: (
    variable: tf.Variable,
    gradient: Tensor,
    slots: Tensor[],
    learningRate: number,
    iteration: number,
  ) => { value: Tensor; slots: Tensor[] },
): Optimizer {
  const slots = new Map<tf.Variable, tf.Variable[]>();
  const byName = new Map(variables.map((v) => [v.name, v]));
  if (byName.size !== variables.length) throw new Error(`${name}: variables must have distinct names`);
  // Saved states use parameter names without the per-instance suffix, so a new process (where the
  // same modules get other instance numbers) can restore them.
  const stableNames = new Map(variables.map((v) => [v, parameterName(v)]));
  if (new Set(stableNames.values()).size !== variables.length) {
    throw new Error(`${name}: two trainable variables share a parameter name; give the modules distinct names`);
  }
  let iterations = 0;
  const slotsOf = (variable: tf.Variable): tf.Variable[] => {
    let own = slots.get(variable);
    if (own === undefined) {
      own = slotNames.map((slot) =>
        variableFromTensor(tf.zerosLike(variable), { trainable: false, name: `${variable.name}/${name}/${slot}` }),
      );
      slots.set(variable, own);
    }
    return own;
  };
  return {
    name,
    get iterations() {
      return iterations;
    },
    applyGradients(gradients, learningRate) {
      if (!Number.isFinite(learningRate)) throw new Error(`${name}: learning rate must be finite, got ${learningRate}`);
      iterations++;
      for (const [variableName, gradient] of Object.entries(gradients)) {
        const variable = byName.get(variableName);
        if (variable === undefined)
          throw new Error(`${name}: got a gradient for ${variableName}, which is not one of its variables`);
        const own = slotsOf(variable);
        tf.tidy(() => {
          const next = update(variable, gradient, own, learningRate, iterations);
          variable.assign(next.value);
          next.slots.forEach((value, i) => {
            own[i]?.assign(value);
          });
        });
      }
    },
    getState() {
      const state: NamedTensorMap = {};
      for (const variable of variables) {
        slotsOf(variable).forEach((slot, i) => {
          state[`${stableNames.get(variable)}/${slotNames[i]}`] = tf.clone(slot);
        });
      }
      return { iterations, slots: state };
    },
    setState(state) {
      for (const variable of variables) {
        slotsOf(variable).forEach((slot, i) => {
          const key = `${stableNames.get(variable)}/${slotNames[i]}`;
          const saved = state.slots[key];
          if (saved === undefined) throw new Error(`${name}: the saved state has no slot ${key}`);
          if (saved.shape.join() !== slot.shape.join())
            throw new Error(`${name}: slot ${key} is [${saved.shape}] in the saved state but [${slot.shape}] here`);
          slot.assign(saved);
        });
      }
      iterations = state.iterations;
    },
    dispose() {
      for (const own of slots.values()) tf.dispose(own);
      slots.clear();
    },
  };
}
