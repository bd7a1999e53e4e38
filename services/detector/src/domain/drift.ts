/**
 * Drift: a sustained trend or level change, found by a two-sided CUSUM (Page's test) on the
 * deviation of each sample from a slow reference level, in units of a reference spread.
 *
 * The likelihood stage cannot see a slow drift on its own: it judges surprise against the series'
 * own history of surprise, and a slow ramp raises surprise so gradually that the history keeps up.
 * CUSUM instead *accumulates* evidence: a deviation of z stddevs adds `z - k` per sample, so a
 * persistent move of more than k stddevs crosses the decision interval h after about
 * h / (z - k) samples, while white noise (which seldom exceeds k) keeps draining back to 0.
 *
 * The reference is a separate exponentially weighted mean and variance, started from the baseline
 * at the end of warm-up and then learning at a fixed slow rate (never the baseline's fast 1/n of a
 * young series), with each deviation clamped, so a ramp widens its own yardstick only slowly.
 * After an alarm the reference level is re-anchored at the current level: a step fires once, and a
 * ramp that goes on fires again only after another full move.
 */
import { stdFloor } from './baseline';

/** The drift test's memory. Plain numbers: stored as JSON. */
export interface DriftState {
  /** Reference level the CUSUM measures against. */
  readonly refMean: number;
  /** Reference variance, squared value units. */
  readonly refVariance: number;
  /** Upward and downward CUSUM statistics, in reference stddevs (0 = in control). */
  readonly up: number;
  readonly down: number;
  /** Timestamp at which each statistic last left 0: the estimated start of the move. */
  readonly upSinceMs: number;
  readonly downSinceMs: number;
}

/** What the drift test says about one sample. */
export interface DriftReading {
  /** The state to keep (already re-anchored after an alarm). */
  readonly state: DriftState;
  /** The CUSUM reached the decision interval on this sample. */
  readonly alarm: boolean;
  /** Larger CUSUM statistic as a fraction of the decision interval (an alarm at 1). */
  readonly progress: number;
  /** Current level minus the reference, in reference stddevs (signed): the size of the move. */
  readonly shiftZ: number;
  /** Average rate of the move since its estimated start, value units per second. */
  readonly slopePerSecond: number;
  /** The reference spread the move is measured in, value units. */
  readonly refStd: number;
}

// Allowance k: deviations up to 2 stddevs are noise (white noise exceeds it 2.3% of the time, and
// drains the sum at once). The decision interval h = 30 then needs, for instance, 15 samples at 4
// stddevs (a step) or about 100 samples of a ramp that moves 5 stddevs in 100 samples; a slow daily
// sinusoid, against a reference that keeps learning, never stays beyond k long enough.
const ALLOWANCE_STD = 2;
const DECISION_STD = 30;
// One outlier adds at most 4 - 2 = 2 to the sum: a spike is not a drift.
const CLAMP_STD = 4;
// The spread is at least this fraction of the baseline's: on a series that moves between a few
// levels as its normal (a daily square wave), the spread around the current level is small but
// the baseline's is not, and a move between the usual levels is not drift.
const BASELINE_SPREAD_FRACTION = 0.7;
// A move of 10 stddevs beyond the allowance scores about 0.82.
const SCORE_SCALE_STD = 6;

/** A drift test anchored at `mean` with spread `variance` (the baseline during warm-up). */
export function anchorDrift(mean: number, variance: number, timestampMs: number): DriftState {
  return { refMean: mean, refVariance: variance, up: 0, down: 0, upSinceMs: timestampMs, downSinceMs: timestampMs };
}

/**
 * Folds sample `x` at `timestampMs` into the test. `level` is the fast level including the sample
 * (re-anchoring uses it: one noisy sample would be a poor new reference); `alpha` is the reference's
 * learning rate; `baselineStd` sets the smallest reference spread.
 */
export function updateDrift(
  d: DriftState,
  x: number,
  level: number,
  timestampMs: number,
  alpha: number,
  baselineStd: number,
): DriftReading {
  const refStd = Math.max(Math.sqrt(d.refVariance), BASELINE_SPREAD_FRACTION * baselineStd, stdFloor(d.refMean));
  const z = Math.max(-CLAMP_STD, Math.min(CLAMP_STD, (x - d.refMean) / refStd));
  const up = Math.max(0, d.up + z - ALLOWANCE_STD);
  const down = Math.max(0, d.down - z - ALLOWANCE_STD);
  const upSinceMs = d.up > 0 ? d.upSinceMs : timestampMs;
  const downSinceMs = d.down > 0 ? d.downSinceMs : timestampMs;
  const shiftZ = (level - d.refMean) / refStd;
  const elapsedSeconds = Math.max(1, (timestampMs - (shiftZ >= 0 ? upSinceMs : downSinceMs)) / 1000);
  const slopePerSecond = (level - d.refMean) / elapsedSeconds;
  const progress = Math.max(up, down) / DECISION_STD;
  if (progress >= 1) {
    return { state: anchorDrift(level, d.refVariance, timestampMs), alarm: true, progress, shiftZ, slopePerSecond, refStd };
  }
  // West's exponentially weighted mean and variance, on the clamped deviation.
  const dev = z * refStd;
  const state: DriftState = {
    refMean: d.refMean + alpha * dev,
    refVariance: (1 - alpha) * (d.refVariance + alpha * dev * dev),
    up, down, upSinceMs, downSinceMs,
  };
  return { state, alarm: false, progress, shiftZ, slopePerSecond, refStd };
}

/**
 * Score of a drift reading: on an alarm, 0.5 (a tail probability of 1e-5 on the likelihood's
 * scale) rising towards 1 with the size of the move; 0 otherwise, since between alarms the CUSUM
 * is evidence still being gathered.
 */
export function driftScore(r: DriftReading): number {
  if (!r.alarm) return 0;
  return 1 - 0.5 * Math.exp(-Math.max(0, Math.abs(r.shiftZ) - ALLOWANCE_STD) / SCORE_SCALE_STD);
}
