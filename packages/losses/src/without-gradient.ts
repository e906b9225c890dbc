import { type Tensor, tf } from '@selfsup/backend';

/**
 * `compute(...inputs)` as a constant: its gradient w.r.t. every input is exactly zero, and the ops
 * inside are not recorded for backpropagation at all (they run inside a `customGrad` forward), so
 * a gradient pass does no work for them — unlike `stopGradient(x)` followed by the ops, whose zero
 * gradients tfjs would still push back through every op.
 */
export function withoutGradient<T extends Tensor>(
  inputs: Tensor | readonly Tensor[],
  compute: (...xs: Tensor[]) => T,
): T {
  const list = (Array.isArray(inputs) ? inputs : [inputs]) as Tensor[];
  const constant = tf.customGrad((...args) => {
    const xs = args.slice(0, list.length) as Tensor[];
    return { value: compute(...xs), gradFunc: () => xs.map((x) => tf.zerosLike(x)) };
  });
  return constant(...list) as T;
}
