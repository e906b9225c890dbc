import * as tf from '@tensorflow/tfjs';

/**
 * A variable that takes ownership of its initial value. `tf.variable(t)` shares t's buffer and
 * leaves t alive, so `tf.variable(tf.zeros(shape))` keeps a hidden tensor — and the buffer of the
 * first value — for the life of the process, even after the variable is reassigned.
 *
 * @example
 * const weight = variableFromTensor(rng.normalTensor([3, 3, 1, 32], 0, 0.1), { name: 'conv1/kernel' });
 */
export function variableFromTensor(
  initial: tf.Tensor,
  options: { trainable?: boolean; name?: string } = {},
): tf.Variable {
  const variable = tf.variable(initial, options.trainable ?? true, options.name);
  initial.dispose();
  return variable;
}
