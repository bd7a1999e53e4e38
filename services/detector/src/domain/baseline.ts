/**
 * The adaptive baseline: an exponentially weighted mean and variance that follow slow change
 * without a training phase and in constant space.
 */

/** Exponentially weighted mean and variance of one series. Plain numbers: stored as JSON. */
export interface Baseline {
  readonly mean: number;
  readonly variance: number;
}

/** Smoothing factor whose weights halve every `halfLifeSamples` samples. */
export function alphaForHalfLife(halfLifeSamples: number): number {
  return 1 - Math.pow(0.5, 1 / halfLifeSamples);
}

/** A baseline seeded from the first value, with no spread known yet. */
export function seedBaseline(value: number): Baseline {
  return { mean: value, variance: 0 };
}

/**
 * Smallest standard deviation worth dividing by. Relative to the level so that a flat series at
 * 1e9 and one at 0.001 behave alike, plus an absolute term so a flat zero series has a floor too.
 */
export function stdFloor(mean: number): number {
  return 1e-6 * Math.abs(mean) + 1e-9;
}

/** Standard deviation of the baseline, never below {@link stdFloor}. */
export function baselineStd(b: Baseline): number {
  return Math.max(Math.sqrt(b.variance), stdFloor(b.mean));
}

/**
 * Folds `value` into the baseline. The deviation is clamped to `clampZ` standard deviations first,
 * so one outlier moves the baseline only a bounded amount (a spike must not hide the next spike),
 * while a sustained shift still pulls it over within a few half-lives.
 */
export function updateBaseline(b: Baseline, value: number, alpha: number, clampZ: number): Baseline {
  const std = baselineStd(b);
  const limit = clampZ * std;
  const raw = value - b.mean;
  // While the variance is still zero (a flat start) any change is "infinitely" surprising; let the
  // first real deviation in unclamped so the spread can be learnt at all.
  const dev = b.variance > 0 ? Math.max(-limit, Math.min(limit, raw)) : raw;
  const mean = b.mean + alpha * dev;
  // West's incremental form of the exponentially weighted variance.
  const variance = (1 - alpha) * (b.variance + alpha * dev * dev);
  return { mean, variance };
}
