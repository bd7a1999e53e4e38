/**
 * The per-second noise of a service's load, learnt from its own samples: what a sample's mean over
 * its interval hides. Requests are counts, so per-second demand varies about its rate by at least
 * Poisson's variance (= the mean), and real traffic more (over-dispersed): the noise is modelled as
 * a variance proportional to the load, in the series' own units (replicas' worth of work):
 *
 *   per-second variance = k · load,   k learnt per series
 *
 * k is estimated from second differences of successive samples, d = x₃ − 2x₂ + x₁: a load that moves
 * linearly (a ramp, a 5-minute series interpolated per second) has none, and white noise of variance
 * σ² in each sample mean gives E[d²] = 6σ². A mean over T seconds of independent seconds has
 * σ² = k · load / T, so each triple gives the estimate T · d² / (6 · load). The median of those (a
 * decaying histogram's, over about an hour) divided by the χ²₁ median 0.455 is k: a median, because
 * a kink in an interpolated series or a level shift is one large difference among many small ones
 * and must not read as noise. Saturated samples measure capacity, not load, and restart the triple.
 */
import { addSample, emptyHistogram, percentile, type DecayingHistogram, type HistogramLayout } from './decaying-histogram';

/** The estimator's JSON state. */
export interface LoadNoise {
  /** The last (at most two) unsaturated loads, oldest first, for the next second difference. */
  readonly recent: readonly number[];
  /** Per-sample estimates of k. */
  readonly estimates: DecayingHistogram;
}

/**
 * k from 1e-6 to about 1e2 replicas' worth per unit load (a replica serving one request a second has
 * k = 1 under Poisson arrivals; one serving thousands, 1e-3), with 10 % resolution; an hour's memory.
 */
const LAYOUT: HistogramLayout = { firstBucketSize: 1e-6, ratio: 1.1, bucketCount: 180, halfLifeMs: 3_600_000 };
/** Median of the χ² distribution with one degree of freedom: median(d²) = 0.455 · E[d²] for normal d. */
const CHI2_1_MEDIAN = 0.455;
/** Samples further apart than this share of the usual interval do not make a second difference. */
const INTERVAL_TOLERANCE = 0.25;

/** No samples yet. */
export function emptyLoadNoise(nowMs: number): LoadNoise {
  return { recent: [], estimates: emptyHistogram(nowMs) };
}

/**
 * Folds in one sample's load, `dtMs` after the previous one, at a usual interval `intervalMs`.
 * Returns a new state.
 */
export function observeLoadNoise(n: LoadNoise, atMs: number, dtMs: number, intervalMs: number, load: number, saturated: boolean): LoadNoise {
  if (saturated) return { ...n, recent: [] };
  const [older, previous] = n.recent;
  let estimates = n.estimates;
  // A second difference needs three samples about evenly spaced: unequal gaps make a ramp read as noise.
  if (older !== undefined && previous !== undefined && load > 0 && Math.abs(dtMs - intervalMs) <= INTERVAL_TOLERANCE * intervalMs) {
    const d = load - 2 * previous + older;
    estimates = addSample(estimates, LAYOUT, (dtMs / 1000) * d * d / (6 * load), atMs);
  }
  return { recent: [...n.recent, load].slice(-2), estimates };
}

/**
 * k: one second's variance per unit of load, as the samples' means show it (T × a T-second mean's
 * variance, per unit of load); 0 before any estimate.
 */
export function noiseIndex(n: LoadNoise): number {
  return n.estimates.totalWeight <= 0 ? 0 : percentile(n.estimates, LAYOUT, 0.5) / CHI2_1_MEDIAN;
}

/** Standard deviation of one second's load about `load`; 0 before any estimate. */
export function perSecondDeviation(n: LoadNoise, load: number): number {
  return Math.sqrt(noiseIndex(n) * Math.max(0, load));
}
