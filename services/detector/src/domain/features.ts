/**
 * The per-sample measurements every later stage works from, mostly in units of the baseline's
 * standard deviation so they compare across metrics of any scale.
 */
import { baselineStd } from './baseline';
import type { ResolvedDetectorConfig } from './config';
import { flappingOf } from './flapping';
import type { Flapping } from './flapping';
import { rangeExcess } from './range';
import { meanAbsDiff } from './recent-window';
import type { RecentWindow } from './recent-window';
import { expectedAt } from './seasonal';
import { trendOf } from './slope';
import type { Trend } from './slope';
import type { DetectorState } from './state';

/** Measurements of one sample against the state before it. */
export interface Features {
  readonly zScore: number;
  readonly departureZ: number;
  /**
   * (value - median of the three values before it) / stddev: a jump from where the series had
   * settled. Unlike {@link departureZ} it is small on the samples after a spike, which the fast
   * level still remembers but the median has already forgotten.
   */
  readonly stepDepartureZ: number;
  /** Where the series had settled before the sample: the median of the three values before it (the value itself for the first). */
  readonly settled: number;
  readonly levelShiftZ: number;
  /**
   * (fast level - what is usual at this hour) / stddev: the level's move from where it should be.
   * What is usual is the time-of-day profile's expectation once the profile is trusted, the
   * baseline mean before: on a daily cycle the level is legitimately far from the baseline mean at
   * every trough and crest, and that is not a move.
   */
  readonly expectedShiftZ: number;
  /** (median of the last three values - baseline mean) / stddev: a level shift that one outlier cannot fake. */
  readonly settledShiftZ: number;
  readonly trend: Trend;
  /** Mean |step| in the recent window, in baseline stddevs. */
  readonly recentStepStd: number;
  /** Large reversing steps in the recent window, measured against the usual step. */
  readonly flapping: Flapping;
  /** How far outside the visited range, as a fraction of its width (0 inside). */
  readonly rangeExcess: number;
  readonly baselineMean: number;
  readonly baselineStd: number;
}

/**
 * Measures `value` against `state` (the state before it). `levelMean` and `recent` are the already
 * updated fast level and window, which include the sample.
 */
export function measure(
  state: DetectorState,
  value: number,
  levelMean: number,
  recent: RecentWindow,
  config: ResolvedDetectorConfig,
): Features {
  const b = state.baseline;
  const std = baselineStd(b);
  // The usual step can be 0 on a flat series; a floor relative to the spread keeps the ratio finite.
  const usualStep = Math.max(state.stepMean, std * 1e-3);
  // The window includes the sample, so its last timestamp is the sample's.
  const t = recent.timestampsMs[recent.timestampsMs.length - 1] as number;
  const expected = expectedAt(state.seasonal.profile, t) ?? b.mean;
  const settled = state.recent.values.length === 0 ? value : medianOfLastThree(state.recent.values);
  return {
    zScore: (value - b.mean) / std,
    departureZ: (value - state.levelMean) / std,
    stepDepartureZ: (value - settled) / std,
    settled,
    levelShiftZ: (levelMean - b.mean) / std,
    expectedShiftZ: (levelMean - expected) / std,
    settledShiftZ: (medianOfLastThree(recent.values) - b.mean) / std,
    trend: trendOf(recent),
    recentStepStd: meanAbsDiff(recent.values) / std,
    flapping: flappingOf(recent.values, usualStep, std),
    rangeExcess: rangeExcess(state.range, value, config.rangeToleranceFraction, config.rangeToleranceStd, std),
    baselineMean: b.mean,
    baselineStd: std,
  };
}

/** Median of the last three values (the last one when there are fewer). */
export function medianOfLastThree(values: readonly number[]): number {
  const n = values.length;
  const c = values[n - 1] as number;
  if (n < 3) return c;
  const a = values[n - 3] as number;
  const b = values[n - 2] as number;
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
