/**
 * Detector configuration: what an operator may tune, with the defaults the service runs with.
 * Lengths are counted in samples (not milliseconds) because every statistic here is updated once
 * per sample; a gap in timestamps therefore never distorts a baseline.
 */

/** Tunable settings of the streaming detector. Every field is optional in the input. */
export interface DetectorConfig {
  /**
   * Samples a series must have seen before any score other than 0 is produced. The baseline is
   * meaningless before that, and the healer must not act on a series it has barely seen.
   * @default 120
   */
  readonly warmupSamples: number;
  /**
   * Sensitivity: a verdict carries an anomaly when its score reaches this value. Lower fires more.
   * Chosen by leave-one-category-out cross-validation on the NAB folder: for each held-out category,
   * the value in 0.40..0.56 (step 0.01) that scores best on the other four; 0.45 won four folds of
   * five (docs/benchmarks.md), and again for the core of the second pass (realTraffic then
   * picking 0.46).
   * @default 0.45
   */
  readonly threshold: number;
  /**
   * Half-life of the adaptive baseline (mean and variance). Long enough that a daily cycle sampled
   * every few minutes widens the variance instead of being chased, short enough to follow a new
   * normal within a few hundred samples.
   * @default 300
   */
  readonly baselineHalfLifeSamples: number;
  /**
   * Half-life of the fast mean that reveals a sustained level shift before the baseline absorbs it.
   * @default 4
   */
  readonly shiftHalfLifeSamples: number;
  /**
   * Number of recent samples kept for the slope (least squares) and the flapping test. At most 32:
   * it is the only array in the state whose length is configurable (the time-of-day profile is a
   * fixed 24 bins), and 32 keeps the serialised state under 4 KB.
   * @default 16
   */
  readonly recentWindowSize: number;
  /**
   * Half-life of the long-run distribution of raw surprise, against which the recent surprise is
   * judged (the "anomaly likelihood" step). Long, so one incident does not teach it that incidents
   * are normal.
   * @default 2000
   */
  readonly surpriseHistoryHalfLifeSamples: number;
  /**
   * Half-life of the recent average of raw surprise. Short, so detection stays early.
   * @default 2
   */
  readonly surpriseRecentHalfLifeSamples: number;
  /**
   * Deviations are clamped to this many standard deviations before they update the baseline, so a
   * single outlier cannot blow up the variance and blind the detector to the next one.
   * @default 4
   */
  readonly baselineClampZ: number;
  /**
   * Half-life at which the visited range forgets an old extreme. Long: a value beyond anything seen
   * in days is the strongest single sign of trouble, and forgetting too soon re-alarms on every
   * recurring peak.
   * @default 10000
   */
  readonly rangeHalfLifeSamples: number;
  /**
   * A value is a new extreme only when it leaves the visited range by more than this fraction of
   * the range's width, so noise at the edge of the range is not one.
   * @default 0.05
   */
  readonly rangeToleranceFraction: number;
  /**
   * Plus this many baseline standard deviations: a range learnt from a few hundred samples of noise
   * is narrow, and white noise sets a new record now and then, by a little.
   * (On a side where the series has routinely set records by more, 1.5 times that margin instead:
   * see `range.ts`.)
   * @default 1
   */
  readonly rangeToleranceStd: number;
  /**
   * After an anomaly fires, further anomalies are suppressed for this many samples: each one
   * triggers a healing action downstream, and one event should heal once. A new extreme (unless
   * the alarm was flapping), or a spike turning into drift or flapping, still gets through (see
   * `refractory.ts`).
   * @default 120
   */
  readonly refractorySamples: number;
}

/** A validated configuration with every field present. Frozen. */
export type ResolvedDetectorConfig = Readonly<DetectorConfig>;

/** The defaults, documented field by field on {@link DetectorConfig}. */
export const DEFAULT_DETECTOR_CONFIG: ResolvedDetectorConfig = Object.freeze({
  warmupSamples: 120,
  threshold: 0.45,
  baselineHalfLifeSamples: 300,
  shiftHalfLifeSamples: 4,
  recentWindowSize: 16,
  surpriseHistoryHalfLifeSamples: 2000,
  surpriseRecentHalfLifeSamples: 2,
  baselineClampZ: 4,
  rangeHalfLifeSamples: 10_000,
  rangeToleranceFraction: 0.05,
  rangeToleranceStd: 1,
  refractorySamples: 120,
});

/** Thrown when a configuration value is out of range; the message names the field. */
export class DetectorConfigError extends Error {
  constructor(readonly field: keyof DetectorConfig, message: string) {
    super(`detector config ${field}: ${message}`);
    this.name = 'DetectorConfigError';
  }
}

type Rule = { min: number; max: number; integer: boolean };

// Ranges keep the arithmetic meaningful: a half-life below 1 sample is no smoothing at all, and the
// recent window bounds the state size, so it is capped.
const RULES: Record<keyof DetectorConfig, Rule> = {
  warmupSamples: { min: 2, max: 100_000, integer: true },
  threshold: { min: 0, max: 1, integer: false },
  baselineHalfLifeSamples: { min: 1, max: 1_000_000, integer: false },
  shiftHalfLifeSamples: { min: 0.5, max: 10_000, integer: false },
  recentWindowSize: { min: 4, max: 32, integer: true },
  surpriseHistoryHalfLifeSamples: { min: 1, max: 1_000_000, integer: false },
  surpriseRecentHalfLifeSamples: { min: 0.5, max: 10_000, integer: false },
  baselineClampZ: { min: 1, max: 1_000, integer: false },
  rangeHalfLifeSamples: { min: 1, max: 1e9, integer: false },
  rangeToleranceFraction: { min: 0, max: 10, integer: false },
  rangeToleranceStd: { min: 0, max: 100, integer: false },
  refractorySamples: { min: 0, max: 1_000_000, integer: true },
};

/**
 * Merges `input` over the defaults and validates every field.
 * @throws DetectorConfigError naming the first invalid field.
 */
export function resolveDetectorConfig(input: Partial<DetectorConfig> = {}): ResolvedDetectorConfig {
  const merged: Record<string, number> = { ...DEFAULT_DETECTOR_CONFIG };
  for (const key of Object.keys(input) as (keyof DetectorConfig)[]) {
    const rule = RULES[key];
    if (rule === undefined) throw new DetectorConfigError(key, 'unknown setting');
    const value: unknown = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new DetectorConfigError(key, `must be a finite number, got ${String(value)}`);
    }
    if (rule.integer && !Number.isInteger(value)) throw new DetectorConfigError(key, `must be an integer, got ${value}`);
    if (value < rule.min || value > rule.max) {
      throw new DetectorConfigError(key, `must be in [${rule.min}, ${rule.max}], got ${value}`);
    }
    merged[key] = value;
  }
  return Object.freeze(merged as unknown as DetectorConfig);
}
