import { tf } from '@selfsup/backend';

/**
 * Exponential moving average of an online network into its target, in place:
 * target ← m·target + (1 − m)·online (BYOL, MoCo, DINO). Variables are paired by position.
 *
 * @example momentumUpdate(targetEncoder.trainableVariables, encoder.trainableVariables, 0.996);
 * @throws when the lists differ in length or a pair in shape, or m is outside [0, 1].
 */
export function momentumUpdate(target: tf.Variable[], online: tf.Variable[], momentum: number): void {
  if (!(momentum >= 0 && momentum <= 1)) throw new Error(`momentumUpdate: momentum must be in [0, 1], got ${momentum}`);
  if (target.length !== online.length) {
    throw new Error(`momentumUpdate: ${target.length} target variables but ${online.length} online variables`);
  }
  tf.tidy(() => {
    target.forEach((t, i) => {
      const o = online[i] as tf.Variable;
      if (t.shape.join() !== o.shape.join())
        throw new Error(`momentumUpdate: ${t.name} is [${t.shape}] but ${o.name} is [${o.shape}]`);
      t.assign(tf.add(tf.mul(t, momentum), tf.mul(o, 1 - momentum)));
    });
  });
}

/**
 * BYOL's momentum schedule: m_k = 1 − (1 − m₀)·(cos(πk/K) + 1)/2, rising from m₀ to 1 over K steps
 * (Grill et al. 2020, arXiv:2006.07733).
 */
export function cosineMomentum(baseMomentum: number, step: number, totalSteps: number): number {
  const progress = Math.min(1, Math.max(0, step / Math.max(1, totalSteps)));
  return 1 - ((1 - baseMomentum) * (Math.cos(Math.PI * progress) + 1)) / 2;
}
