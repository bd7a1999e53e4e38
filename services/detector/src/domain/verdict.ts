/**
 * What the detector says about one sample. The verdict is data, not an action: the healer decides
 * what to do with it.
 */

import { anomalyKindSymbols, type AnomalyKind } from '@maestro/contracts';

/**
 * The kinds of anomaly the detector distinguishes: the Avro enum of the anomalies topic.
 * `spike`/`drop`: one sample far above/below the current level. `drift`: the level itself has
 * moved (a sustained shift or a ramp). `oscillation`: a flapping regime (large alternating steps).
 */
export const ANOMALY_KINDS = anomalyKindSymbols;
export type { AnomalyKind };

/** The numbers behind a verdict, so an operator can see why it fired. */
export interface Evidence {
  /** (value - baseline mean) / baseline stddev, before this sample updated the baseline. */
  readonly zScore: number;
  /** (value - recent level) / baseline stddev: how far this sample departs from where the series just was. */
  readonly departureZ: number;
  /** (recent level - baseline mean) / baseline stddev: how far the level has moved. */
  readonly levelShiftZ: number;
  /**
   * (recent level - what is usual at this hour) / baseline stddev once the time-of-day profile is
   * trusted, else {@link levelShiftZ}: the level's move that a point event is compared with to
   * choose between spike/drop and drift.
   */
  readonly expectedShiftZ: number;
  /** Least-squares slope over the recent window, value units per second. */
  readonly slopePerSecond: number;
  /** t-statistic of that slope. */
  readonly slopeT: number;
  readonly baselineMean: number;
  readonly baselineStd: number;
  /** Mean |step| over the recent window, in baseline stddevs. */
  readonly recentStepStd: number;
  /** {@link flapReversals} per step pair in the recent window (1 = a large reversal at every sample). */
  readonly flapFraction: number;
  /**
   * Reversals between successive large steps (over 3.5 usual steps and 2 baseline stddevs, at most two samples apart)
   * in the recent window. A spike makes 1; flapping makes one per large step.
   */
  readonly flapReversals: number;
  /** Drift test: level minus its slow reference, in reference stddevs (the spread before the move). */
  readonly driftShiftZ: number;
  /** Drift test: average rate of that move since its estimated start, value units per second. */
  readonly driftSlopePerSecond: number;
  /** Drift test: CUSUM as a fraction of its decision interval (an alarm at 1). */
  readonly driftProgress: number;
  /** How far outside the range visited so far, as a fraction of its width (0 when inside). */
  readonly rangeExcess: number;
  /** Raw surprise of this sample in [0, 1). */
  readonly surprise: number;
  /** (value - expected value at this hour) / that hour's spread; 0 until the time-of-day profile is trusted. */
  readonly seasonalZ: number;
}

/** An anomaly the service should act on. */
export interface Anomaly {
  readonly kind: AnomalyKind;
  /**
   * The kinds the series' open incident had already shown when this broke through it (one
   * incident, one anomaly: see `refractory.ts`); empty for the first report of an event.
   */
  readonly relatedKinds: readonly AnomalyKind[];
  /** How bad, in [0, 1], from the size of the deviation in standard deviations. */
  readonly severity: number;
  readonly evidence: Evidence;
}

/** The verdict on one sample. */
export interface Verdict {
  /** Continuous anomaly score in [0, 1]; 0 during warm-up and while an alarm is suppressed. */
  readonly score: number;
  /** Present exactly when `score >= threshold`. */
  readonly anomaly: Anomaly | null;
  /** True while the series is still warming up. */
  readonly warmingUp: boolean;
  /**
   * A kind this sample added to the series' open incident instead of being reported (the drift
   * that confirms a step change the spike already reported); null otherwise.
   */
  readonly joined: AnomalyKind | null;
  /** The series returned from its last incident's move on this sample (not reported; see `refractory.ts`). */
  readonly recovered: boolean;
}
