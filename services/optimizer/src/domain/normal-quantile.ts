/** The standard normal distribution's quantile, for turning a band's quantile into a deviation. */

/** The standard normal CDF, from erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
function standardNormalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const known = new Map<number, number>();

/**
 * z such that P(Z ≤ z) = p for a standard normal Z, p in (0, 1): bisection on the CDF, to well within
 * the CDF's own error. Remembered per p: a configuration's band quantiles, and the order-statistic
 * positions of forecast.ts `samplesNoiseMaximum`, one per count of samples a horizon holds (about 60
 * at a 1 s cadence).
 */
export function standardNormalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`standardNormalQuantile: p must be in (0, 1), got ${p}`);
  const seen = known.get(p);
  if (seen !== undefined) return seen;
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (standardNormalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  const z = (lo + hi) / 2;
  known.set(p, z);
  return z;
}
