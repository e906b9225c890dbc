import { type Tensor, tf, type Variable } from '@selfsup/backend';

/**
 * The exponential moving average of an online network into its target network, in place:
 * target ← m·target + (1 − m)·online, pair by pair, with `variable.assign` (no tensor is left
 * behind). MoCo's key encoder (He et al. 2020, arXiv:1911.05722, eq. 2), BYOL's target
 * (Grill et al. 2020, arXiv:2006.07733) and DINO's teacher (Caron et al. 2021, arXiv:2104.14294)
 * all use it; see {@link cosineMomentum} for BYOL's and DINO's schedule of m.
 *
 * @param targetVariables the target network's variables, updated in place.
 * @param onlineVariables the online network's variables (or tensors), paired by position; read only.
 * @param momentum m in [0, 1]: 1 keeps the target, 0 copies the online network.
 * @example momentumUpdate(target.trainableVariables, online.trainableVariables, 0.996);
 * @throws when the lists differ in length, a pair differs in shape, or m is outside [0, 1]
 *   (checked before anything is updated).
 */
export function momentumUpdate(
  targetVariables: readonly Variable[],
  onlineVariables: readonly Tensor[],
  momentum: number,
): void {
  if (!(typeof momentum === 'number' && momentum >= 0 && momentum <= 1)) {
    throw new Error(`momentumUpdate: momentum must be in [0, 1]; got ${momentum}`);
  }
  if (targetVariables.length !== onlineVariables.length) {
    throw new Error(
      `momentumUpdate: ${targetVariables.length} target variables but ${onlineVariables.length} online variables`,
    );
  }
  targetVariables.forEach((target, i) => {
    const online = onlineVariables[i] as Tensor;
    if (target.shape.join() !== online.shape.join() || target.dtype !== online.dtype) {
      throw new Error(
        `momentumUpdate: pair ${i} differs: ${target.name} is ${target.dtype} [${target.shape}], ` +
          `${online instanceof tf.Variable ? online.name : 'the online tensor'} is ${online.dtype} [${online.shape}]`,
      );
    }
  });
  tf.tidy(() => {
    targetVariables.forEach((target, i) => {
      target.assign(tf.add(tf.mul(target, momentum), tf.mul(onlineVariables[i] as Tensor, 1 - momentum)));
    });
  });
}
