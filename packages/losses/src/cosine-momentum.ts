/**
 * BYOL's momentum schedule (Grill et al. 2020, arXiv:2006.07733, §3.2), also DINO's teacher
 * schedule: m_k = 1 − (1 − m₀)·(cos(πk/K) + 1)/2, rising from m₀ at step 0 to 1 at step K.
 * Steps outside [0, K] are clamped.
 *
 * @param baseMomentum m₀ in [0, 1] (BYOL: 0.996; DINO: 0.996).
 * @param step k, the current step.
 * @param totalSteps K > 0, the number of training steps.
 * @example momentumUpdate(target, online, cosineMomentum(0.996, step, totalSteps));
 * @throws when m₀ is outside [0, 1], K is not positive, or the step is not a number.
 */
export function cosineMomentum(baseMomentum: number, step: number, totalSteps: number): number {
  if (!(baseMomentum >= 0 && baseMomentum <= 1)) {
    throw new Error(`cosineMomentum: baseMomentum must be in [0, 1]; got ${baseMomentum}`);
  }
  if (!(Number.isFinite(totalSteps) && totalSteps > 0)) {
    throw new Error(`cosineMomentum: totalSteps must be a positive number; got ${totalSteps}`);
  }
  if (Number.isNaN(step)) throw new Error('cosineMomentum: step is NaN');
  const progress = Math.min(1, Math.max(0, step / totalSteps));
  return 1 - ((1 - baseMomentum) * (Math.cos(Math.PI * progress) + 1)) / 2;
}
