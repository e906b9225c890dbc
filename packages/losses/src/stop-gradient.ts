import { type Tensor, tf } from '@selfsup/backend';

const stop = tf.customGrad((...inputs) => {
  const x = inputs[0] as Tensor;
  return { value: tf.clone(x), gradFunc: (dy: Tensor | Tensor[]) => tf.zerosLike(dy as Tensor) };
});

/**
 * The identity whose gradient is zero (PyTorch's `detach`, TensorFlow's `stop_gradient`): targets
 * of BYOL/SimSiam, MoCo keys, DINO teachers and SwAV assignments are constants for the loss.
 */
export function stopGradient<T extends Tensor>(x: T): T {
  return stop(x) as T;
}
