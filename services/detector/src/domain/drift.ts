/**
 * Drift: a sustained trend or level change, found by a two-sided CUSUM (Page's test) on the
 * deviation of each sample from a slow reference level, in units of the reference spread.
 *
 * The likelihood stage cannot see drift on its own: it judges surprise against the series' own
 * history of surprise, and a slow ramp raises surprise so gradually that the history keeps up.
 * CUSUM instead *accumulates* evidence: a deviation of z reference stddevs adds `z - k` per
 * sample, so a small persistent move eventually crosses the decision interval while white noise
 * (which seldom exceeds the allowance `k`) drains back to 0.
 *
 * The reference adapts far more slowly than the baseline, and its spread stops learning while an
 * excursion is in progress, so the move is measured against the variability from *before* it: a
 * ramp cannot widen its own yardstick. After an alarm the reference is re-anchored at the current
 * level, so a step fires once and a ramp that continues fires again only after another full move.
 */
import { stdFloor } from './baseline';

/** The drift test's memory. Plain numbers: stored as JSON. */
export interface DriftState {
  /** Reference level the CUSUM measures against. */
  readonly refMean: number;
  /** Reference variance: the variability before the current excursion, in squared value units. */
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
  readonly state: DriftState;
  /** The CUSUM reached the decision interval on this sample (the state is already re-anchored). */
  readonly alarm: boolean;
  /** Larger CUSUM statistic as a fraction of the decision interval (1 = alarm). */
  readonly progress: number;
  /** Level minus reference, in reference stddevs (signed): the size of the move. */
  readonly shiftZ: number;
  /** Average rate of the move since its estimated start, value units per second. */
  readonly slopePerSecond: number;
}

/** Tuning of the drift test, in reference stddevs and samples. */
export const DRIFT_TUNING = {
  /** Allowance: deviations below this many stddevs are treated as noise and drain the CUSUM. */
  allowanceStd: 1.5,
  /** Decision interval: accumulated excess deviation that raises an alarm. */
  decisionStd: 30,
  /** Per-sample deviations are clamped here, so one outlier adds at most `clamp - allowance`. */
  clampStd: 4,
  /** Half-life of the reference level while in control. */
  refHalfLifeSamples: 1000,
  /** The spread learns only while both statistics are below this fraction of the interval. */
  learnBelowFraction: 0.25,
};

/** A drift test anchored at `mean` with spread `variance` (the baseline at the end of warm-up). */
export function anchorDrift(mean: number, variance: number, timestampMs: number): DriftState {
  return { refMean: mean, refVariance: variance, up: 0, down: 0, upSinceMs: timestampMs, downSinceMs: timestampMs };
}

/**
 * Folds sample `x` (at `timestampMs`) into the test. `level` is the fast level including the sample
 * (re-anchoring uses it: a single noisy sample would be a poor new reference).
 */
export function updateDrift(d: DriftState, x: number, level: number, timestampMs: number, spreadAlpha: number): DriftReading {
  const t = DRIFT_TUNING;
  const std = Math.max(Math.sqrt(d.refVariance), stdFloor(d.refMean));
  const z = Math.max(-t.clampStd, Math.min(t.clampStd, (x - d.refMean) / std));
  const up = Math.max(0, d.up + z - t.allowanceStd);
  const down = Math.max(0, d.down - z - t.allowanceStd);
  const upSinceMs = d.up > 0 ? d.upSinceMs : timestampMs;
  const downSinceMs = d.down > 0 ? d.downSinceMs : timestampMs;
  const shiftZ = (level - d.refMean) / std;
  const sinceMs = shiftZ >= 0 ? upSinceMs : downSinceMs;
  const elapsedS = Math.max(1, (timestampMs - sinceMs) / 1000);
  const slopePerSecond = (level - d.refMean) / elapsedS;
  const progress = Math.max(up, down) / t.decisionStd;

  if (progress >= 1) {
    const state = { refMean: level, refVariance: d.refVariance, up: 0, down: 0, upSinceMs: timestampMs, downSinceMs: timestampMs };
    return { state, alarm: true, progress, shiftZ, slopePerSecond };
  }
  const dev = z * std;
  const inControl = progress < t.learnBelowFraction;
  const meanAlpha = 1 - Math.pow(0.5, 1 / t.refHalfLifeSamples);
  const state: DriftState = {
    refMean: inControl ? d.refMean + meanAlpha * dev : d.refMean,
    refVariance: inControl ? (1 - spreadAlpha) * (d.refVariance + spreadAlpha * dev * dev) : d.refVariance,
    up, down, upSinceMs, downSinceMs,
  };
  return { state, alarm: false, progress, shiftZ, slopePerSecond };
}

/**
 * Score of a drift reading in [0.5, 1) on an alarm, rising with the size of the move (0.5 is a
 * tail probability of 1e-5 on the likelihood's scale), and 0 otherwise: between alarms the CUSUM
 * is only evidence being gathered.
 */
export function driftScore(r: DriftReading): number {
  if (!r.alarm) return 0;
  return 1 - 0.5 * Math.exp(-Math.max(0, Math.abs(r.shiftZ) - DRIFT_TUNING.allowanceStd) / DRIFT_SCORE_SCALE_STD);
}

// A move of 10 stddevs beyond the allowance scores about 0.82.
const DRIFT_SCORE_SCALE_STD = 6;
