import { type Tensor, tf } from '@selfsup/backend';
import { isBiasOrNormParameter, type Optimizer, type ParameterFilter, slotOptimizer } from './optimizer.js';
import { OPTIMIZER_DEFAULTS } from './optimizer-declaration.js';

/** Options of {@link createLars}. */
export interface LarsOptions {
  momentum?: number;
  /** Weight decay added to the gradient before adaptation (SimCLR: 1e-6). */
  weightDecay?: number;
  /** LARS trust coefficient η (default 0.001). */
  trustCoefficient?: number;
  /** Parameters with neither weight decay nor adaptation (default: biases and norm parameters). */
  excludeFromAdaptation?: ParameterFilter;
}

/**
 * LARS (You, Gitman & Ginsburg 2017, arXiv:1708.03888) as SimCLR uses it: for each adapted
 * parameter g ← (g + wd·p)·η·‖p‖/‖g + wd·p‖ (1 when either norm is 0), then SGD with momentum;
 * biases and norm parameters skip decay and adaptation. Variables of any shape (the norms are over
 * a whole variable, a scalar each); one slot (`momentum`) of each variable's shape.
 * @example const optimizer = createLars(objective.trainableVariables, { weightDecay: 1e-6 });
 */
export function createLars(variables: tf.Variable[], options: LarsOptions = {}): Optimizer {
  const { lars } = OPTIMIZER_DEFAULTS;
  const momentum = options.momentum ?? lars.momentum;
  const weightDecay = options.weightDecay ?? lars.weightDecay;
  const eta = options.trustCoefficient ?? lars.trustCoefficient;
  const excluded = options.excludeFromAdaptation ?? isBiasOrNormParameter;
  return slotOptimizer('lars', variables, ['momentum'], (variable, gradient, [buffer], learningRate) => {
    let g: Tensor = gradient;
    if (!excluded(variable)) {
      if (weightDecay > 0) g = tf.add(g, tf.mul(variable, weightDecay));
      const weightNorm = tf.norm(variable);
      const gradientNorm = tf.norm(g);
      const bothPositive = tf.logicalAnd(tf.greater(weightNorm, 0), tf.greater(gradientNorm, 0));
      const trust = tf.where(
        bothPositive,
        tf.div(tf.mul(weightNorm, eta), tf.maximum(gradientNorm, 1e-30)),
        tf.onesLike(weightNorm),
      );
      g = tf.mul(g, trust);
    }
    const next = tf.add(tf.mul(buffer as Tensor, momentum), g);
    return { value: tf.sub(variable, tf.mul(next, learningRate)), slots: [next] };
  });
}
