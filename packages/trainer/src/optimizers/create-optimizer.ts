import type { tf } from '@selfsup/backend';
import { type AdamOptions, createAdam, createAdamW } from './adam.js';
import { createLars, type LarsOptions } from './lars.js';
import type { Optimizer } from './optimizer.js';
import { createSgd, type SgdOptions } from './sgd.js';

/** A serializable optimizer description. */
export type OptimizerConfig =
  | ({ kind: 'adam' } & Omit<AdamOptions, 'excludeFromWeightDecay'>)
  | ({ kind: 'adamw' } & Omit<AdamOptions, 'excludeFromWeightDecay'>)
  | ({ kind: 'sgd' } & Omit<SgdOptions, 'excludeFromWeightDecay'>)
  | ({ kind: 'lars' } & Omit<LarsOptions, 'excludeFromAdaptation'>);

export const OPTIMIZER_KINDS = ['adam', 'adamw', 'sgd', 'lars'] as const;

/**
 * The optimizer a config describes, over `variables` (any shapes; its slots take each variable's shape).
 * @example const optimizer = createOptimizer({ kind: 'adamw', weightDecay: 0.05 }, objective.trainableVariables);
 * @throws listing the known kinds when `config.kind` is not one.
 */
export function createOptimizer(config: OptimizerConfig, variables: tf.Variable[]): Optimizer {
  switch (config.kind) {
    case 'adam':
      return createAdam(variables, config);
    case 'adamw':
      return createAdamW(variables, config);
    case 'sgd':
      return createSgd(variables, config);
    case 'lars':
      return createLars(variables, config);
    default:
      throw new Error(
        `optimizer: '${(config as { kind: string }).kind}' is not an optimizer; known: ${OPTIMIZER_KINDS.join(', ')}`,
      );
  }
}
