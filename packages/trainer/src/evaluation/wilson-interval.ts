/** A two-sided interval of a proportion, both ends in [0, 1]. */
export interface ProportionInterval {
  lower: number;
  upper: number;
}

/** The standard normal quantile of a two-sided 95 % interval: Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

/**
 * The Wilson score interval of a proportion (Wilson 1927, JASA 22:209; recommended over the normal
 * approximation by Newcombe 1998, Statistics in Medicine 17:857): `successes` out of `trials`,
 * at the confidence of the normal quantile `z` (default {@link Z_95}, a 95 % interval). Unlike
 * p ± z·√(p(1−p)/n) it stays inside [0, 1] and does not collapse to a point at 0 or n successes.
 *
 * `successes` may be fractional: the mean accuracy over several probe seeds times the test size.
 *
 * @example
 * wilsonInterval(81, 263); // { lower: 0.2553…, upper: 0.3662… } (Newcombe 1998, Table II)
 * @throws when `trials` is not a positive integer, `successes` is outside [0, trials], or `z` is not positive.
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): ProportionInterval {
  if (!Number.isInteger(trials) || trials < 1) {
    throw new Error(`wilsonInterval: trials must be a positive integer, got ${trials}`);
  }
  if (!Number.isFinite(successes) || successes < 0 || successes > trials) {
    throw new Error(`wilsonInterval: successes must be in [0, ${trials}] (the trials), got ${successes}`);
  }
  if (!Number.isFinite(z) || z <= 0) throw new Error(`wilsonInterval: z must be a positive number, got ${z}`);
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // Clamped: at 0 or n successes the formula's end is 0 or 1 up to rounding.
  return { lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth) };
}

/**
 * The 95 % Wilson interval of an accuracy measured on `testCount` examples (see {@link wilsonInterval}).
 *
 * @example
 * accuracyInterval(55 / 60, 60); // { lower: 0.819…, upper: 0.964… }
 */
export function accuracyInterval(accuracy: number, testCount: number): ProportionInterval {
  // accuracy · n is an integer up to rounding for one seed; a mean over seeds may be fractional.
  return wilsonInterval(Math.min(testCount, Math.max(0, accuracy * testCount)), testCount);
}
