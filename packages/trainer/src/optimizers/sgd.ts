import { type Tensor, tf } from '@selfsup/backend';
import { isBiasOrNormParameter, type Optimizer, type ParameterFilter, slotOptimizer } from './optimizer.js';
import { OPTIMIZER_DEFAULTS } from './optimizer-declaration.js';

/** Options of {@link createSgd}. */
export interface SgdOptions {
  /** Momentum (default 0.9; 0 for plain SGD). */
  momentum?: number;
  nesterov?: boolean;
  /** L2 weight decay added to the gradient (default 0). */
  weightDecay?: number;
  excludeFromWeightDecay?: ParameterFilter;
}

/**
 * SGD with momentum, PyTorch's form (Sutskever et al. 2013): buf ← μ·buf + g, p ← p − lr·buf
 * (Nesterov: p ← p − lr·(g + μ·buf)). Variables of any shape; one slot (`momentum`) of each
 * variable's shape.
 * @example const optimizer = createSgd(objective.trainableVariables, { momentum: 0.9, nesterov: true });
 */
export function createSgd(variables: tf.Variable[], options: SgdOptions = {}): Optimizer {
  const momentum = options.momentum ?? OPTIMIZER_DEFAULTS.sgd.momentum;
  const weightDecay = options.weightDecay ?? OPTIMIZER_DEFAULTS.sgd.weightDecay;
  const excluded = options.excludeFromWeightDecay ?? isBiasOrNormParameter;
  return slotOptimizer('sgd', variables, ['momentum'], (variable, gradient, [buffer], learningRate) => {
    let g: Tensor = gradient;
    if (weightDecay > 0 && !excluded(variable)) g = tf.add(g, tf.mul(variable, weightDecay));
    const next = tf.add(tf.mul(buffer as Tensor, momentum), g);
    const direction = options.nesterov ? tf.add(g, tf.mul(next, momentum)) : next;
    return { value: tf.sub(variable, tf.mul(direction, learningRate)), slots: [next] };
  });
}
