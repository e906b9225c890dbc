import { type Tensor, tf } from '@selfsup/backend';
import { isBiasOrNormParameter, type Optimizer, type ParameterFilter, slotOptimizer } from './optimizer.js';
import { OPTIMIZER_DEFAULTS } from './optimizer-declaration.js';

/** Options of {@link createAdam} and {@link createAdamW}. */
export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /**
   * Adam: L2 penalty added to the gradient (coupled, PyTorch's `Adam(weight_decay)`).
   * AdamW: decoupled decay p ← p − lr·wd·p (Loshchilov & Hutter 2019), default 0.05.
   */
  weightDecay?: number;
  /** Parameters that get no weight decay (default: biases and norm parameters, rank ≤ 1). */
  excludeFromWeightDecay?: ParameterFilter;
}

function adam(name: string, variables: tf.Variable[], options: AdamOptions, decoupled: boolean): Optimizer {
  const defaults = OPTIMIZER_DEFAULTS[decoupled ? 'adamw' : 'adam'];
  const beta1 = options.beta1 ?? defaults.beta1;
  const beta2 = options.beta2 ?? defaults.beta2;
  const epsilon = options.epsilon ?? defaults.epsilon;
  const weightDecay = options.weightDecay ?? defaults.weightDecay;
  const excluded = options.excludeFromWeightDecay ?? isBiasOrNormParameter;
  return slotOptimizer(name, variables, ['m', 'v'], (variable, gradient, [m, v], learningRate, t) => {
    const decay = weightDecay > 0 && !excluded(variable) ? weightDecay : 0;
    let g: Tensor = gradient;
    if (!decoupled && decay > 0) g = tf.add(g, tf.mul(variable, decay));
    const mNext = tf.add(tf.mul(m as Tensor, beta1), tf.mul(g, 1 - beta1));
    const vNext = tf.add(tf.mul(v as Tensor, beta2), tf.mul(tf.square(g), 1 - beta2));
    // PyTorch's form: ε is added to √v̂, i.e. √v_t/√(1−β2^t) + ε.
    const denominator = tf.add(tf.div(tf.sqrt(vNext), Math.sqrt(1 - beta2 ** t)), epsilon);
    let value: Tensor = tf.sub(variable, tf.mul(tf.div(mNext, denominator), learningRate / (1 - beta1 ** t)));
    if (decoupled && decay > 0) value = tf.sub(value, tf.mul(variable, learningRate * decay));
    return { value, slots: [mNext, vNext] };
  });
}

/**
 * Adam (Kingma & Ba 2015, arXiv:1412.6980), PyTorch's update: bias-corrected moments,
 * ε outside the square root; optional coupled L2 weight decay. Variables of any shape; two slots
 * (`m`, `v`) of each variable's shape.
 * @example const optimizer = createAdam(variables, { beta2: 0.999 });
 */
export function createAdam(variables: tf.Variable[], options: AdamOptions = {}): Optimizer {
  return adam('adam', variables, options, false);
}

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019, arXiv:1711.05101), as
 * PyTorch's `AdamW` (decay applied to the weights before the Adam step, scaled by the learning rate).
 * Variables of any shape; two slots (`m`, `v`) of each variable's shape.
 * @example const optimizer = createAdamW(objective.trainableVariables, { weightDecay: 0.05 });
 */
export function createAdamW(variables: tf.Variable[], options: AdamOptions = {}): Optimizer {
  return adam('adamw', variables, options, true);
}
