/**
 * The per-sample measurements every later stage works from, mostly in units of the baseline's
 * standard deviation so they compare across metrics of any scale.
 */
import { baselineStd } from './baseline';
import type { ResolvedDetectorConfig } from './config';
import { rangeExcess } from './range';
import { meanAbsDiff } from './recent-window';
import type { RecentWindow } from './recent-window';
import { trendOf } from './slope';
import type { Trend } from './slope';
import type { DetectorState } from './state';

/** Measurements of one sample against the state before it. */
export interface Features {
  readonly zScore: number;
  readonly departureZ: number;
  readonly levelShiftZ: number;
  readonly trend: Trend;
  /** Mean |step| in the recent window, in baseline stddevs. */
  readonly recentStepStd: number;
  readonly flapFraction: number;
  /** How far outside the visited range, as a fraction of its width (0 inside). */
  readonly rangeExcess: number;
  readonly baselineMean: number;
  readonly baselineStd: number;
}

// A step is "large" at twice the usual step: white noise takes one about one time in ten, a
// flapping regime nearly every time.
const LARGE_STEP_RATIO = 2;

/**
 * Fraction of successive step pairs in `values` that reverse direction with both steps large (over
 * twice `usualStep`). White noise scores about 0.02, one spike 1 pair in the window, flapping close
 * to 1. Requiring large steps is what keeps a single spike (up, then down) from looking like one.
 */
export function flapFractionOf(values: readonly number[], usualStep: number): number {
  const large = LARGE_STEP_RATIO * usualStep;
  let flaps = 0;
  let prevStep = (values[1] ?? 0) - (values[0] ?? 0);
  for (let i = 2; i < values.length; i++) {
    const step = (values[i] as number) - (values[i - 1] as number);
    if (Math.abs(step) > large && Math.abs(prevStep) > large && (step > 0) !== (prevStep > 0)) flaps++;
    prevStep = step;
  }
  return values.length < 3 ? 0 : flaps / (values.length - 2);
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
  return {
    zScore: (value - b.mean) / std,
    departureZ: (value - state.levelMean) / std,
    levelShiftZ: (levelMean - b.mean) / std,
    trend: trendOf(recent),
    recentStepStd: meanAbsDiff(recent.values) / std,
    flapFraction: flapFractionOf(recent.values, usualStep),
    rangeExcess: rangeExcess(state.range, value, config.rangeToleranceFraction, config.rangeToleranceStd, std),
    baselineMean: b.mean,
    baselineStd: std,
  };
}
