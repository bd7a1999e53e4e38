/**
 * Raw surprise of one sample in [0, 1): how badly the baseline and the recent level predicted it.
 * This is the input of the likelihood stage, which then decides whether that much surprise is
 * unusual *for this series* (a noisy series is surprising all the time, and that is normal).
 */
import type { Features } from './features';

// Maps 3 standard deviations to 0.5. The squash keeps the order of deviations (the likelihood
// stage averages surprises, and one huge outlier must not dominate that average unboundedly).
const HALF_SURPRISE_STD = 3;

/**
 * The largest of three deviations, squashed to [0, 1): from the baseline (a point far from the
 * long-run mean), from the recent level (a jump even within a wide daily cycle), and of the settled
 * level (the median of the last three values) from the baseline (a sustained shift or ramp that no
 * single sample shows). The settled level, not the fast mean, because one outlier drags a mean
 * along for several samples: the series' return from a spike would then look like a drop, and on a
 * series with routine spikes those returns were the false alarms.
 */
export function rawSurprise(f: Features): number {
  const m = Math.max(Math.abs(f.zScore), Math.abs(f.departureZ), Math.abs(f.settledShiftZ));
  return m / (m + HALF_SURPRISE_STD);
}

/**
 * Score of a value outside the visited range, in [0.5, 1): 0.5 right at the range edge, rising
 * with the excess (a tenth of the width scores about 0.93), so that new extremes rank among
 * themselves and against likelihood scores on the same scale (0.5 = tail probability 1e-5).
 */
export function extremeScore(excessFraction: number): number {
  if (!(excessFraction > 0)) return 0;
  return 1 - 0.5 * Math.exp(-excessFraction / EXTREME_SCALE_FRACTION);
}

const EXTREME_SCALE_FRACTION = 0.05;

/**
 * The raw surprise as the likelihood stage judges it: the departure must be a departure both from
 * the fast level and from where the series had settled. After a spike the fast level is still
 * dragged up for several samples, so the series' ordinary values look like a drop from it; on a
 * series with routine spikes those returns were the false alarms. Never above {@link rawSurprise}.
 */
export function judgedSurprise(f: Features): number {
  const m = Math.max(Math.abs(f.zScore), Math.min(Math.abs(f.departureZ), Math.abs(f.stepDepartureZ)), Math.abs(f.settledShiftZ));
  return m / (m + HALF_SURPRISE_STD);
}
